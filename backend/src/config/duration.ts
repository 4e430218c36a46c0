const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * `90s`, `30m`, `26h`, `7d`, `2w`, `1h30m` or a bare number of seconds; null when unreadable.
 * Hand-written: the few duration libraries on npm each accept a different, larger grammar, and a
 * config key should accept exactly what the example documents.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(s)) return null;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(n) * UNITS[unit!]!;
  return total > 0 ? total : null;
}
