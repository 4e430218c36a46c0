// The evidence an error of the repository's storage leaves, in the classifier's terms. The S3 SDK's
// service errors carry the error code as `name` (and `Code`) and the HTTP status in `$metadata`;
// Node's network errors a `code`; an AggregateError (one connection tried on several addresses)
// the codes of the errors it holds.
import type { FailureEvidence, StorageError } from './types.js';

interface Raised {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  errors?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function storageErrorOf(err: unknown): StorageError {
  const e = (err ?? {}) as Raised;
  const inner = Array.isArray(e.errors) ? (e.errors as Raised[]).map((x) => text(x?.code)).find(Boolean) : undefined;
  const status = e.$metadata?.httpStatusCode;
  const found: StorageError = {
    name: text(e.Code) ?? text(e.name),
    code: text(e.code) ?? inner,
    status: typeof status === 'number' ? status : undefined,
    message: text(e.message) ?? (err === undefined || err === null ? undefined : String(err)),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}

export function storageEvidence(err: unknown): FailureEvidence {
  return { storageErrors: [storageErrorOf(err)] };
}
