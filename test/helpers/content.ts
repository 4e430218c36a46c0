import type { TestServer } from '../harness/mariadb.js';

/** Row count and CHECKSUM TABLE of every base table of `db`: equal maps mean equal content. */
export async function tableChecksums(server: TestServer, db: string): Promise<Record<string, string>> {
  const tables = await server.query<{ name: string }>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [db],
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await server.query<{ Checksum: string | number }>(`CHECKSUM TABLE \`${db}\`.\`${name}\``);
    const [count] = await server.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${name}\``);
    out[name] = `${count!.n}:${String(row!.Checksum)}`;
  }
  return out;
}
