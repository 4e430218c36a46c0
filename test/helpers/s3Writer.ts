// A child process that streams bytes into an S3 repository file: `stream` commits them and prints
// the process's peak memory growth; `interrupt` stops before commit and waits to be killed.
// Usage: s3Writer.ts <stream|interrupt> <bytes> <s3 location>, settings as JSON in WARDEN_TEST_S3_SETTINGS.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Storage } from '../../backend/src/storage/s3.js';

const [mode, bytes, file] = process.argv.slice(2) as ['stream' | 'interrupt', string, string];
const storage = new S3Storage(JSON.parse(process.env.WARDEN_TEST_S3_SETTINGS!), { partSize: 5 << 20, queueSize: 2 });
const CHUNK = 1 << 20;

async function* chunks(total: number) {
  for (let sent = 0; sent < total; sent += CHUNK) yield Buffer.alloc(Math.min(CHUNK, total - sent), sent / CHUNK);
}

global.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const pending = storage.create(file);
await pipeline(Readable.from(chunks(Number(bytes))), pending.writable());
if (mode === 'interrupt') {
  process.stdout.write('written\n');
  setInterval(() => undefined, 1000);
} else {
  const digest = await pending.commit();
  clearInterval(sampler);
  process.stdout.write(`${JSON.stringify({ growth: peak - baseline, digest })}\n`);
}
