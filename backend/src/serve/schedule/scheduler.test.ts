import { afterEach, describe, expect, it } from 'vitest';
import { historyOf } from '../../catalog/summaries.js';
import { parseConfig } from '../../config/load.js';
import { mainLogger } from '../../util/log.js';
import type { RunManager } from '../runs.js';
import { Scheduler } from './scheduler.js';

const CONFIG = `
repository: ./backups
targets:
  - name: shop
    user: backup
    method: physical
    schedule: "0 2 29 2 *"
    incremental:
      schedule: "15 * * * *"
      fullEvery: 1d
`;

let scheduler: Scheduler | null = null;
afterEach(() => scheduler?.stop());

describe('schedules of a physical target with incrementals', () => {
  it('asks for backups on both schedules and reports the sooner as the next backup', () => {
    // The full backups' schedule fires on 29 February only: the hourly incrementals come first.
    const asked: string[] = [];
    const manager = { enqueue: (kind: string, target: { name: string }, trigger: string) => asked.push(`${kind}:${target.name}:${trigger}`) } as unknown as RunManager;
    scheduler = new Scheduler(parseConfig(CONFIG, 'warden.yaml', {}), manager, mainLogger('silent'));
    // Never backed up: the missed-run policy asks once per schedule; the run manager keeps one waiting.
    scheduler.start(() => historyOf([], () => false));
    expect(asked).toEqual(['backup:shop:missed-run', 'backup:shop:missed-run']);
    const next = scheduler.nextRun('shop', 'backup')!;
    expect(next.getMinutes()).toBe(15);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
  });
});
