/**
 * Remembers delivery ids for a while so a retried delivery is handled once. Slack re-sends an event with the same
 * `event_id` when it saw no 2xx in 3 s (and Socket Mode re-sends too); Bolt does not deduplicate. In-memory is enough
 * for one process; a multi-replica deployment would swap this for a shared store behind the same interface.
 */
export interface DeliveryDedupe {
  /** True the first time `key` is seen within the TTL; false for repeats. */
  firstTime(key: string): boolean;
}

export function createDeliveryDedupe(opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): DeliveryDedupe {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>(); // key → expiry; insertion order = age order
  return {
    firstTime(key) {
      const t = now();
      for (const [k, expiry] of seen) {
        if (expiry > t && seen.size <= maxEntries) break;
        seen.delete(k);
      }
      const expiry = seen.get(key);
      if (expiry !== undefined && expiry > t) return false;
      seen.set(key, t + ttlMs);
      return true;
    },
  };
}
