// A run's log (log.jsonl beside its manifest). On a local folder it is appended to in place, so the
// API serves it while the run lasts. Object storage cannot append: the lines go to a private local
// file, stored after the run's earlier log (a verification adds to its backup's) when the last
// writer of the run's log in this process closes it. A run killed before that loses its log, never
// its manifest, which is what says how a run ended.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { runtimeDir } from '../mysql/runtimeDir.js';
import { storageOf } from '../storage/index.js';
import { type Component, type Logger, mainLogger, runLogger } from '../util/log.js';
import { LOG_FILE } from './paths.js';

export interface RunLog {
  log: Logger;
  close: () => Promise<void>;
}

/** Staged logs of object storage, by their stored location, with their writers still open. */
const staged = new Map<string, { local: string; writers: number }>();

export function openRunLog(dir: string, component: Component, bindings: Record<string, unknown>): RunLog {
  const storage = storageOf(dir);
  const file = storage.join(dir, LOG_FILE);
  const inPlace = storage.localFile(file);
  if (inPlace !== null) {
    const { log, close } = runLogger(inPlace, component, bindings);
    return { log, close: async () => close() };
  }
  // Named `<pid>-...`: the runtime folder's sweep removes what a killed agent staged.
  const stage = staged.get(file) ?? { local: path.join(runtimeDir(), `${process.pid}-log-${randomUUID()}.jsonl`), writers: 0 };
  staged.set(file, stage);
  stage.writers += 1;
  const { log, close } = runLogger(stage.local, component, bindings);
  return {
    log,
    close: async () => {
      close();
      if (--stage.writers > 0) return;
      staged.delete(file);
      try {
        const earlier = (await storage.size(file)) !== null;
        const pending = storage.create(file);
        await pipeline(async function* () {
          if (earlier) yield* storage.read(file);
          yield* createReadStream(stage.local);
        }, pending.writable()).catch(async (err: unknown) => {
          await pending.abort();
          throw err;
        });
        await pending.commit();
      } catch (err) {
        mainLogger().error({ err, file }, 'the run log could not be stored');
      } finally {
        await rm(stage.local, { force: true });
      }
    },
  };
}
