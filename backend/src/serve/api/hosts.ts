// The Host allow-list against DNS rebinding: a page on evil.example whose name is made to resolve to
// 127.0.0.1 reaches the agent from a browser on this machine as same-origin, so CORS does not stop
// it; but the browser still sends `Host: evil.example`. Only names the agent is known by are served.
// Hand-written: a set lookup over Node's own isIP and URL parsing, too small for a dependency.
import { isIP } from 'node:net';
import os from 'node:os';
import type { RequestHandler } from 'express';
import type { Logger } from '../../util/log.js';
import { HttpError } from './errors.js';

const ALL_INTERFACES = new Set(['0.0.0.0', '::']);

/** A Host header: a DNS name or IPv4 address, or an IPv6 address in brackets; then maybe a port. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::\d{1,5})?$/;

/**
 * The form a name is compared in: lower case, no trailing dot, IPv6 in brackets and compressed (as
 * browsers send it); null when it is no host name.
 */
export function canonicalHost(name: string): string | null {
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  const ip = isIP(bare);
  if (ip === 6) return new URL(`http://[${bare}]/`).host;
  if (ip === 4) return bare;
  return /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/.test(name) ? name.toLowerCase().replace(/\.$/, '') : null;
}

/** The name a Host header names, canonical and without its port; null when it is malformed. */
export function hostOfHeader(header: string | undefined): string | null {
  const m = HOST_HEADER.exec(header ?? '');
  return m ? canonicalHost(m[1]!) : null;
}

export interface Machine {
  hostname: string;
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

const thisMachine = (): Machine => ({ hostname: os.hostname(), interfaces: os.networkInterfaces() });

/**
 * The names the agent answers to: loopback, the address it listens on, `api.allowedHosts`, and when
 * it listens on every interface, the machine's host name and each interface address.
 */
export function allowedHosts(listenHost: string, configured: string[], machine: Machine = thisMachine()): Set<string> {
  const names = ['localhost', '127.0.0.1', '::1', listenHost, ...configured];
  if (ALL_INTERFACES.has(listenHost)) {
    names.push(machine.hostname);
    for (const info of Object.values(machine.interfaces).flat()) {
      // A link-local address carries its zone (fe80::1%eth0), which no Host header can.
      if (info) names.push(info.address.replace(/%.*$/, ''));
    }
  }
  return new Set(names.map(canonicalHost).filter((n): n is string => n !== null && !ALL_INTERFACES.has(n) && n !== '[::]'));
}

/** Refuses (421) every request whose Host header is not an allowed name, health probes included. */
export function requireAllowedHost(allowed: ReadonlySet<string>, log: Logger): RequestHandler {
  return (req, _res, next) => {
    const host = hostOfHeader(req.headers.host);
    if (host !== null && allowed.has(host)) return next();
    log.warn({ host: req.headers.host ?? null, path: req.path }, 'request for a host name not allowed');
    throw new HttpError('misdirected', 'this agent does not answer to the host name in the request; if it is a name of this agent, add it to api.allowedHosts');
  };
}
