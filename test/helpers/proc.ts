import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  argv: string[];
}

/** Every process on this machine with its argv, as `ps` would show it to any user. */
export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length > 0) out.push({ pid: Number(entry), argv });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The dump tool process talking to the given port. */
export function dumpProcessFor(port: number): Proc | undefined {
  return processes().find((p) => /(mariadb-dump|mysqldump)$/.test(p.argv[0] ?? '') && p.argv.includes(`--port=${port}`));
}
