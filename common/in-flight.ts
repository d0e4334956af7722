/**
 * Runs `work` over `items` with at most `limit` in flight, in the items' order of starting. A failure of one item is
 * the caller's to handle inside `work`; an escaping error stops new starts and is thrown once the others settled.
 * Hand-written because the maintained pool libraries are ESM-only now and this project runs as CommonJS.
 */
export async function forEachInFlight<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}
