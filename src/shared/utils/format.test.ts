import { config } from '@grafana/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatRelative, formatTime, userTimeZone } from './format';

function setTimeZone(timezone: string): void {
  config.bootData = { ...config.bootData, user: { ...config.bootData?.user, timezone } };
}

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(null)).toBe('–');
  });

  it('formats durations with the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400 + 60)).toBe('3 d');
  });

  it('formats past and future times relative to now', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(formatRelative('2025-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2025-01-01T12:20:00Z', now)).toBe('in 20 min');
    expect(formatRelative(null, now)).toBe('–');
  });

  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  describe('in the user\'s Grafana time zone', () => {
    const original = config.bootData?.user?.timezone ?? '';
    afterEach(() => setTimeZone(original));
    const AT = '2025-03-01T23:30:05.000Z';

    it('formats a time in the zone of the Grafana profile, not the browser', () => {
      setTimeZone('Asia/Tokyo');
      expect(formatTime(AT)).toBe('2025-03-02 08:30:05');
      setTimeZone('America/New_York');
      expect(formatTime(AT)).toBe('2025-03-01 18:30:05');
      setTimeZone('utc');
      expect(formatTime(AT)).toBe('2025-03-01 23:30:05');
    });

    it("falls back to the browser's zone when Grafana says so or says nothing", () => {
      setTimeZone('');
      expect(userTimeZone()).toBe('browser');
      const local = new Date(AT);
      const pad = (n: number) => String(n).padStart(2, '0');
      expect(formatTime(AT)).toBe(
        `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}:05`,
      );
    });

    it('leaves what is not a time as it is', () => {
      expect(formatTime(null)).toBe('–');
      expect(formatTime('soon')).toBe('soon');
    });
  });
});
