import { describe, expect, it } from 'vitest';
import { storageErrorResult } from './output.js';

describe('storageErrorResult', () => {
  it("reports the storage SDK's errors, never a database connection's network error as the storage's", () => {
    const refused = (extra: object) => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }, extra);
    expect(storageErrorResult(refused({}), false)).toBeNull();
    expect(storageErrorResult(refused({ $metadata: { attempts: 3 } }), true)).toMatchObject({ exitCode: 1, output: expect.stringContaining('"class": "storage_network"') });
  });
});
