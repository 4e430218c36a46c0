// The per-target lock on a repository shared by hosts whose clocks disagree: the lock's mtime is
// its holder's clock, so a live lock can look stale here; it is taken only when nobody refreshes it.
import { mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockTarget, TargetBusyError } from '../backend/src/catalog/lock.js';
import { PosixStorage } from '../backend/src/storage/posix.js';

const STALE_MS = 3000;
const storage = new PosixStorage(STALE_MS);

/** A lock as a holder whose clock is `behindMs` behind ours leaves it: its mtime looks old here. */
function foreignLock(behindMs: number): { dir: string; refresh: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-lock-'));
  const lock = path.join(dir, '.lock');
  mkdirSync(lock);
  const refresh = () => {
    const theirNow = new Date(Date.now() - behindMs);
    utimesSync(lock, theirNow, theirNow);
  };
  refresh();
  return { dir, refresh };
}

describe('the target lock', () => {
  it('is not taken from a live holder whose clock is behind, however stale its mtime looks', async () => {
    const holder = foreignLock(60_000);
    const timer = setInterval(holder.refresh, STALE_MS / 3);
    try {
      await expect(lockTarget(holder.dir, 'shop', storage)).rejects.toBeInstanceOf(TargetBusyError);
    } finally {
      clearInterval(timer);
    }
  });

  it('is taken over from a holder that stopped refreshing it (a crash)', async () => {
    const crashed = foreignLock(60_000);
    const release = await lockTarget(crashed.dir, 'shop', storage);
    await release();
  });

  it('is refused while fresh', async () => {
    const fresh = foreignLock(0);
    await expect(lockTarget(fresh.dir, 'shop', storage)).rejects.toBeInstanceOf(TargetBusyError);
  });

  it("is seen as held, before anything is deleted, when its holder's clock is behind", async () => {
    const holder = foreignLock(60_000);
    const timer = setInterval(holder.refresh, STALE_MS / 3);
    try {
      expect(await storage.isLocked(holder.dir)).toBe(false); // at a glance, by this host's clock
      expect(await storage.isLocked(holder.dir, { observe: true })).toBe(true);
    } finally {
      clearInterval(timer);
    }
    const abandoned = foreignLock(60_000);
    expect(await storage.isLocked(abandoned.dir, { observe: true })).toBe(false);
  });
});
