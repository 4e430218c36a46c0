// Tables are named `db.table` in manifests and reports. Database and table names may both hold a
// dot (MariaDB and MySQL allow `app.v2`), so a name is split against the databases it can belong
// to, the longest that fits, not at its first dot.

/** [database, table] of a `db.table` name, `databases` being those it may belong to. */
export function splitTableName(name: string, databases: Iterable<string>): [string, string] {
  let db: string | null = null;
  for (const d of databases) if (name.startsWith(`${d}.`) && (db === null || d.length > db.length)) db = d;
  if (db === null) {
    const dot = name.indexOf('.');
    return [name.slice(0, dot), name.slice(dot + 1)];
  }
  return [db, name.slice(db.length + 1)];
}
