/**
 * An in-process cache that never makes a reader wait for a reload it can avoid: a value past its
 * age is still served while one reload runs in the background, and an invalidation reloads the
 * entries it names at once (served stale until the reload lands). Only a key never loaded, or whose
 * load failed, waits for its loader. A load that started before an invalidation is followed by
 * another, so a change is never lost to a reload already in flight.
 */
export interface CacheOptions {
  /** Age after which a read triggers a background reload, unless `get` names another. */
  ttlMs: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
  /** Told about a background reload that failed (the old value stays). */
  onError?: (key: string, err: Error) => void;
}

interface Entry<T> {
  load: () => Promise<T>;
  ttlMs: number;
  value?: { v: T };
  at: number;
  /** Bumped by each invalidation; a load that finishes under an older generation runs again. */
  gen: number;
  inFlight: Promise<T> | null;
}

export class RefreshingCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly now: () => number;

  constructor(private readonly opts: CacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The cached value (reloading it in the background when old), or the first load's result. */
  get<T>(key: string, load: () => Promise<T>, ttlMs = this.opts.ttlMs): Promise<T> {
    let e = this.entries.get(key) as Entry<T> | undefined;
    if (!e) {
      e = { load, ttlMs, at: 0, gen: 0, inFlight: null };
      this.entries.set(key, e as Entry<unknown>);
    }
    // The newest loader is kept: a reload then asks for what the latest reader wanted.
    e.load = load;
    e.ttlMs = ttlMs;
    if (e.value) {
      if (this.now() - e.at >= e.ttlMs) this.background(key, e);
      return Promise.resolve(e.value.v);
    }
    return e.inFlight ?? this.start(key, e);
  }

  /** Reloads the matching entries now; readers keep the old values until the reloads land. */
  invalidate(match: (key: string) => boolean): void {
    for (const [key, e] of this.entries)
      if (match(key)) {
        e.gen += 1;
        if (e.value) this.background(key, e);
      }
  }

  /** Forgets every entry (its next read loads afresh). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private background<T>(key: string, e: Entry<T>): void {
    if (!e.inFlight) this.start(key, e).catch((err: Error) => this.opts.onError?.(key, err));
  }

  private start<T>(key: string, e: Entry<T>): Promise<T> {
    const gen = e.gen;
    const p = e.load().then(
      (v) => {
        if (this.entries.get(key) !== e) return v;
        e.value = { v };
        e.at = this.now();
        e.inFlight = null;
        if (e.gen !== gen) this.background(key, e);
        return v;
      },
      (err: unknown) => {
        if (this.entries.get(key) === e) {
          e.inFlight = null;
          if (!e.value) this.entries.delete(key);
        }
        throw err;
      },
    );
    e.inFlight = p;
    return p;
  }
}
