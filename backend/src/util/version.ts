// The agent's version, from package.json.
import { readFileSync } from 'node:fs';

/** package.json is three folders up from this module in the sources, the compiled tree and the bundle alike. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
