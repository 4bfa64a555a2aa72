/** A tiny per-process cache for slowly changing reference data (names, catalog), with a short TTL. */
export function ttlCache<K, V>(ttlMs: number, max = 10_000) {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key: K, load: () => Promise<V>): Promise<V> {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      if (entries.size >= max) entries.clear();
      const value = load();
      const entry = { at: now, value };
      entries.set(key, entry);
      // A failed load is forgotten (unless something fresher replaced it meanwhile).
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    /** The live entry, if any, without loading. */
    peek(key: K): Promise<V> | undefined {
      const hit = entries.get(key);
      return hit && Date.now() - hit.at < ttlMs ? hit.value : undefined;
    },
    /** Puts a value just read elsewhere (a fresher read of the same thing). */
    set(key: K, value: V) {
      if (entries.size >= max && !entries.has(key)) entries.clear();
      entries.set(key, { at: Date.now(), value: Promise.resolve(value) });
    },
    delete(key: K) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
