// CORS is off unless api.corsOrigins names origins: only those get the headers a browser needs.
import type { RequestHandler } from 'express';

export function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.vary('Origin');
      res.set('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE');
        res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.set('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
