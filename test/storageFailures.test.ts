// Failures of the object storage, produced for real against Ceph's radosgw (test/harness/objectStore.ts)
// and classified: bad credentials, a denied bucket, a missing bucket, a closed port. radosgw 16 has no
// rate limiting, so throttling is answered by a local server with the wording of S3's error reference
// (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html: `SlowDown`, 503, "Please reduce your
// request rate."), read by the real SDK.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { attemptsAllowed } from '../backend/src/classify/retry.js';
import { failureOf } from '../backend/src/classify/failure.js';
import { storageEvidence } from '../backend/src/classify/storageError.js';
import type { FailureClass } from '../backend/src/contract/classes.js';
import { freePort } from '../backend/src/mysql/throwawayServer.js';
import { S3Storage } from '../backend/src/storage/s3.js';
import { useObjectStore } from './harness/objectStore.js';

const objectStore = useObjectStore();
const POLICY = { maxAttempts: 4, baseDelaySeconds: 1, maxDelaySeconds: 5 };

/** What a write and a listing through the storage raise, classified. */
async function failures(storage: S3Storage, bucket: string) {
  const attempts = [
    () => storage.writeText(`s3://${bucket}/shop/x/manifest.json`, '{}'),
    () => storage.list(`s3://${bucket}/shop`),
    async () => {
      const file = storage.create(`s3://${bucket}/shop/x/dump.sql.zst`);
      file.writable().end(Buffer.alloc(1024));
      await file.commit();
    },
  ];
  const out = [];
  for (const attempt of attempts) {
    const err = await attempt().then(() => null, (e: unknown) => e);
    expect(err, 'the operation failed').not.toBeNull();
    out.push(failureOf(storageEvidence(err), String(err)));
  }
  return out;
}

function expectClass(found: Awaited<ReturnType<typeof failures>>, cls: FailureClass, retried: number) {
  for (const f of found) {
    expect(f.class).toBe(cls);
    expect(attemptsAllowed(f.class, POLICY)).toBe(retried);
  }
}

describe('object storage failures, classified', () => {
  it('a wrong secret is storage_credentials (SignatureDoesNotMatch), never retried', async () => {
    process.env.WARDEN_TEST_WRONG_SECRET = 'not-the-secret';
    const found = await failures(new S3Storage({ ...objectStore().settings, secretKeyEnv: 'WARDEN_TEST_WRONG_SECRET' }), await objectStore().createBucket());
    expectClass(found, 'storage_credentials', 1);
    expect(found[0]).toMatchObject({ code: 'SignatureDoesNotMatch', rule: 'storage-credentials', retryable: false });
  });

  it('an unknown key is storage_credentials (InvalidAccessKeyId)', async () => {
    process.env.WARDEN_TEST_UNKNOWN_KEY = 'NOSUCHKEY';
    const found = await failures(new S3Storage({ ...objectStore().settings, accessKeyEnv: 'WARDEN_TEST_UNKNOWN_KEY' }), await objectStore().createBucket());
    expectClass(found, 'storage_credentials', 1);
    expect(found[0]!.code).toBe('InvalidAccessKeyId');
  });

  it('credentials missing from the environment are storage_credentials, and the hint names the variables', async () => {
    const found = await failures(new S3Storage({ ...objectStore().settings, accessKeyEnv: 'WARDEN_TEST_UNSET_KEY' }), await objectStore().createBucket());
    expectClass(found, 'storage_credentials', 1);
    expect(found[0]!.message).toContain('WARDEN_TEST_UNSET_KEY');
  });

  it('a bucket policy that denies is storage_access_denied', async () => {
    const bucket = await objectStore().createBucket();
    const Resource = [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];
    await objectStore().client().send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource }] }) }));
    const found = await failures(new S3Storage(objectStore().settings), bucket);
    expectClass(found, 'storage_access_denied', 1);
    expect(found[0]!.code).toBe('AccessDenied');
  });

  it('a bucket that does not exist is storage_no_bucket', async () => {
    const found = await failures(new S3Storage(objectStore().settings), 'warden-no-such-bucket');
    expectClass(found, 'storage_no_bucket', 1);
  });

  it('a closed port is storage_network, retried with backoff', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const found = await failures(new S3Storage({ ...objectStore().settings, endpoint }), 'any');
    expectClass(found, 'storage_network', POLICY.maxAttempts);
    expect(found[0]).toMatchObject({ code: 'ECONNREFUSED', retryable: true, severity: 'warning' });
  });

  it('a server that answers SlowDown is storage_throttled, retried with backoff (by the SDK, then by the policy)', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>1</RequestId></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await new S3Storage({ ...objectStore().settings, endpoint }).writeText('s3://any/shop/manifest.json', '{}').then(() => null, (e: unknown) => e);
      const f = failureOf(storageEvidence(err), String(err));
      expect(f).toMatchObject({ class: 'storage_throttled', code: 'SlowDown', retryable: true });
      expect(attemptsAllowed(f.class, POLICY)).toBe(POLICY.maxAttempts);
      // The SDK's standard retry mode backs off and tries 3 times before it gives up.
      expect(requests).toBe(3);
    } finally {
      server.close();
    }
  });

  it("takes AWS's 409 ConditionalRequestConflict on the lock's conditional write for a lock taken, not a storage failure", async () => {
    // What AWS answers the loser of two simultaneous `If-None-Match: *` writes (PutObject reference);
    // radosgw answers them 412 and in sequence, so a local server answers as AWS documents it.
    const server = createServer((req, res) => {
      req.resume();
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'last-modified': new Date().toUTCString(), date: new Date().toUTCString(), etag: '"winner"', 'content-length': '2' });
        res.end();
        return;
      }
      res.writeHead(409, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred.</Message><RequestId>1</RequestId></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(new S3Storage({ ...objectStore().settings, endpoint }).lock('s3://any/shop')).rejects.toMatchObject({ code: 'ELOCKED' });
    } finally {
      server.close();
    }
  });
});
