/** The in-process copies of small collections (policies, calendar, organisations, staff). */
import type { CacheKind, This } from "../types";

/** Safety net for the event-invalidated caches, in case an invalidation broadcast is lost. */
export const SMALL_TTL_MS = 60_000;

export const cacheMethods = {
  /**
   * A value loaded once and shared until it is invalidated (then the next call loads it again). Once
   * older than `ttlMs` (the safety net for a lost invalidation) it is still served while a fresh
   * copy loads in the background, so no request waits for that reload. A failed load is not kept.
   */
  cached<T>(this: This, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit) {
      if (Date.now() - hit.at >= ttlMs && !hit.refreshing) {
        hit.refreshing = true;
        const fresh = load();
        fresh.then(
          () => this.cache.get(key) === hit && this.cache.set(key, { at: Date.now(), value: fresh }),
          (err: Error) => {
            hit.refreshing = false;
            this.logger.warn(`Cache ${key} not refreshed:`, err.message);
          },
        );
      }
      return hit.value as Promise<T>;
    }
    const value = load();
    this.cache.set(key, { at: Date.now(), value });
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    return value;
  },

  /** Drops cached values here and, unless told otherwise, on the other worklog instances. */
  invalidate(this: This, kinds: CacheKind[], announce = true): void {
    for (const key of [...this.cache.keys()])
      if (kinds.some((k) => key === k || key.startsWith(`${k}:`))) this.cache.delete(key);
    if (announce)
      this.broker
        .broadcast("worklog.cache.invalidate", { kinds }, { groups: ["worklog"] })
        .catch((err: Error) => this.logger.warn("cache invalidation not sent:", err.message));
  },
};
