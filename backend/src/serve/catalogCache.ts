// A cached read of the repository for the API and the metrics: listing every manifest on each
// request would compete with the running dump for CPU. Runs of this process invalidate it; a run of
// another process (a `warden backup` from cron) shows up within the cache's lifetime.
import type { Manifest } from '../contract/manifest.js';
import type { CatalogEntry } from '../catalog/store.js';
import { historyOf, type TargetHistory } from '../catalog/summaries.js';
import { listRuns } from '../list/index.js';

export interface CatalogSnapshot {
  /** Runs by target, newest first; targets no longer configured are included. */
  byTarget: Map<string, CatalogEntry[]>;
  /** Whether a manifest saying `running` belongs to a run that is still alive. */
  isLive: (m: Manifest) => boolean;
}

const TTL_MS = 1000;

export class CatalogView {
  private cached: { at: number; value: Promise<CatalogSnapshot> } | null = null;

  constructor(private readonly repository: string) {}

  invalidate(): void {
    this.cached = null;
  }

  snapshot(): Promise<CatalogSnapshot> {
    if (!this.cached || Date.now() - this.cached.at > TTL_MS) {
      const value = this.read();
      this.cached = { at: Date.now(), value };
      value.catch(() => {
        if (this.cached?.value === value) this.invalidate();
      });
    }
    return this.cached.value;
  }

  async history(target: string): Promise<TargetHistory> {
    const snap = await this.snapshot();
    return historyOf(snap.byTarget.get(target) ?? [], snap.isLive);
  }

  private async read(): Promise<CatalogSnapshot> {
    const { runs } = await listRuns(this.repository);
    const byTarget = new Map<string, CatalogEntry[]>();
    for (const e of runs) {
      const list = byTarget.get(e.manifest.target) ?? [];
      list.push(e);
      byTarget.set(e.manifest.target, list);
    }
    const liveIds = new Set(runs.filter((r) => r.live).map((r) => r.manifest.id));
    return { byTarget, isLive: (m) => liveIds.has(m.id) };
  }
}
