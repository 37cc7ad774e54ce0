/** The in-process copies of small collections (policies, calendar, organisations, staff): shared/store/refreshing-cache.ts. */
import { keysUnder } from "../../../shared/store/refreshing-cache";
import type { CacheKind, This } from "../types";

/** Safety net for the event-invalidated caches, in case an invalidation broadcast is lost. */
export const SMALL_TTL_MS = 60_000;

export const cacheMethods = {
  /**
   * Drops cached values here (their next reader waits for a fresh load) and, unless told otherwise,
   * on the other worklog instances.
   */
  invalidate(this: This, kinds: CacheKind[], announce = true): void {
    this.cache.forget(keysUnder(kinds));
    if (announce)
      this.broker
        .broadcast("worklog.cache.invalidate", { kinds }, { groups: ["worklog"] })
        .catch((err: Error) => this.logger.warn("cache invalidation not sent:", err.message));
  },
};
