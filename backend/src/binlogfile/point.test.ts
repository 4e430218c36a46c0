import { describe, expect, it } from 'vitest';
import { fileEndsBefore, includes, isLast, parseGtidPoint, parsePositionPoint, parseTimePoint, PointError } from './point.js';

const tx = (gtid: string | null, start: number, end: number, timestamp: number) => ({ gtid, start, end, timestamp });

describe('recovery points', () => {
  it('reads times with a zone, and without one as UTC, to the second', () => {
    expect(parseTimePoint('2026-12-06T10:41:59Z')).toMatchObject({ kind: 'time', at: Date.UTC(2026, 11, 6, 10, 41, 59) / 1000 });
    expect(parseTimePoint('2026-12-06 12:41:59+02:00')).toMatchObject({ at: Date.UTC(2026, 11, 6, 10, 41, 59) / 1000 });
    expect(parseTimePoint('2026-12-06T10:41:59.999')).toMatchObject({ at: Date.UTC(2026, 11, 6, 10, 41, 59) / 1000, text: '2026-12-06T10:41:59.000Z' });
    for (const bad of ['yesterday', '2026-13-40T10:00:00Z', '10:41:59', '2026-12-06T10:41:59 UTC', '']) expect(() => parseTimePoint(bad), bad).toThrow(PointError);
  });

  it('reads one GTID of either family, and nothing that is not one', () => {
    expect(parseGtidPoint('0-1-42')).toMatchObject({ kind: 'gtid', gtid: '0-1-42' });
    expect(parseGtidPoint('3E11FA47-71CA-11E1-9E33-C80AA9429562:23')).toMatchObject({ gtid: '3e11fa47-71ca-11e1-9e33-c80aa9429562:23' });
    for (const bad of ['0-1', '0-1-42,0-2-7', '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5', "0-1-1'; DROP"]) expect(() => parseGtidPoint(bad), bad).toThrow(PointError);
  });

  it('reads FILE:POS, refusing paths and positions inside the magic number', () => {
    expect(parsePositionPoint('binlog.000042:1234')).toMatchObject({ file: 'binlog.000042', position: 1234 });
    for (const bad of ['../etc/passwd:5', 'binlog.000042', 'binlog.000042:3', 'a/b:10']) expect(() => parsePositionPoint(bad), bad).toThrow(PointError);
  });

  it('tells from the index alone which files end before the point', () => {
    const file = { name: 'binlog.000009', lastEventTime: '2026-12-06T10:00:00.000Z', gtidsIn: '0-1-40,1-5-7' };
    expect(fileEndsBefore(parseTimePoint('2026-12-06T10:00:00Z'), file)).toBe(true);
    expect(fileEndsBefore(parseTimePoint('2026-12-06T09:59:59Z'), file)).toBe(false);
    expect(fileEndsBefore(parseGtidPoint('0-1-41'), file)).toBe(true);
    expect(fileEndsBefore(parseGtidPoint('0-1-40'), file)).toBe(false);
    expect(fileEndsBefore(parseGtidPoint('2-1-1'), file)).toBe(false);
    expect(fileEndsBefore(parsePositionPoint('binlog.000010:4'), file)).toBe(true);
    expect(fileEndsBefore(parsePositionPoint('binlog.000009:400'), file)).toBe(false);
  });

  it('includes transactions up to and with the point', () => {
    const t = parseTimePoint('2026-12-06T10:00:00Z');
    expect(includes(t, 'binlog.000001', tx('0-1-1', 100, 200, Date.UTC(2026, 11, 6, 10) / 1000))).toBe(true);
    expect(includes(t, 'binlog.000001', tx('0-1-2', 200, 300, Date.UTC(2026, 11, 6, 10) / 1000 + 1))).toBe(false);
    const p = parsePositionPoint('binlog.000002:300');
    expect(includes(p, 'binlog.000002', tx(null, 200, 300, 0))).toBe(true);
    expect(includes(p, 'binlog.000002', tx(null, 300, 400, 0))).toBe(false);
    expect(isLast(parseGtidPoint('0-1-2'), tx('0-1-2', 1, 2, 0))).toBe(true);
    expect(isLast(parseGtidPoint('0-1-2'), tx('0-1-20', 1, 2, 0))).toBe(false);
  });
});
