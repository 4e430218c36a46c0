// A steady write load for backups taken while the server is written to.
import type { TestServer } from '../harness/mariadb.js';

/** Inserts into shop.ticks (id AUTO_INCREMENT, at DATETIME), one row after the other, until stopped. */
export function writeLoad(server: TestServer): { stop(): Promise<number> } {
  let running = true;
  let written = 0;
  const loop = (async () => {
    while (running) {
      await server.query('INSERT INTO shop.ticks (at) VALUES (NOW(6))');
      written++;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return written;
    },
  };
}
