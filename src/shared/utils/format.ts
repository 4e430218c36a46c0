// Numbers and times the way operators read them.
import { dateTimeFormat, type TimeZone } from '@grafana/data';
import { config } from '@grafana/runtime';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** 45 s, 3 min 20 s, 2 h 5 min, 3 d 4 h: the two largest units. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

export function secondsSince(iso: string, now = Date.now()): number {
  return (now - Date.parse(iso)) / 1000;
}

/** "3 h ago", "in 20 min" */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const seconds = secondsSince(iso, now);
  if (Math.abs(seconds) < 5) return 'just now';
  return seconds > 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}

/**
 * The signed-in user's time zone as Grafana resolved it from the profile, team, organization and
 * server default (pkg/api/index.go puts it in bootData): an IANA name, `utc`, or `browser`.
 */
export function userTimeZone(): TimeZone {
  return config.bootData?.user?.timezone || 'browser';
}

/** Date and time in the user's Grafana time zone and date format (not the browser's zone). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  if (Number.isNaN(Date.parse(iso))) return iso;
  return dateTimeFormat(iso, { timeZone: userTimeZone() });
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : n.toLocaleString('en-US');
}
