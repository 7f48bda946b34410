// Bulk work runs concurrently with a bound, and stops starting new work when the signal aborts (Ctrl-C) while
// letting in-flight items finish.

export type Settled<T, R> =
  { item: T; status: 'fulfilled'; value: R } | { item: T; status: 'rejected'; reason: unknown } | { item: T; status: 'skipped' };

export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal;
}

/** Runs `work` over `items` with at most `concurrency` at once; results are in input order. */
export async function mapPool<T, R>(items: readonly T[], work: (item: T) => Promise<R>, opts: PoolOptions): Promise<Array<Settled<T, R>>> {
  const results: Array<Settled<T, R>> = items.map((item) => ({ item, status: 'skipped' }));
  let next = 0;
  const worker = async () => {
    while (next < items.length && !opts.signal?.aborted) {
      const index = next++;
      const item = items[index]!;
      try {
        results[index] = { item, status: 'fulfilled', value: await work(item) };
      } catch (reason) {
        results[index] = { item, status: 'rejected', reason };
      }
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
