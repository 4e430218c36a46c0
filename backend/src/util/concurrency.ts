// Bounded concurrency over a list, stopping at the first failure. Hand-written: p-limit and its
// kin run every item; loads and checks here must stop starting new work after a failure.

/** Calls `fn` on each item with at most `limit` calls in flight; stops at the first non-null result. */
export async function forEachLimit<T, F>(items: readonly T[], limit: number, fn: (item: T) => Promise<F | null>): Promise<F | null> {
  let next = 0;
  let failure: F | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const result = await fn(items[next++]!);
      if (result !== null) failure ??= result;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failure;
}
