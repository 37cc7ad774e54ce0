/**
 * The refreshing read cache: in-process copies of what a service reads often and changes seldom
 * (pages' sections, worklog's policies, calendar, organisations and staff; info's and notices' item
 * indexes), so that a request seldom waits for the database.
 *
 * Why: FerretDB 1.24 on SQLite pushes down no filter but `_id` (any other filter reads the whole
 * collection: seconds for tens of thousands of documents, minutes on a loaded machine) and serves
 * requests one at a time under load (docs/ferretdb.md), so a read on the request path is what makes
 * a page slow. A reader never waits for a reload it can avoid:
 * - a value past its age is still served while one reload runs in the background;
 * - `invalidate` reloads the entries it names at once (served stale until the reload lands), and a
 *   load that started before an invalidation is followed by another, so a change is never lost to a
 *   reload already in flight;
 * - `forget` drops entries, so their next reader waits for a fresh load (read-your-writes after a
 *   change made here);
 * - only a key never loaded, forgotten, or whose load failed waits for its loader.
 * `RowIndex` is the same cache holding a whole collection's small fields as one entry, patched row
 * by row after this process's writes and other replicas' change events, so lists filter in memory.
 *
 * On MongoDB an indexed query would often do without the copy; the cost is memory, and a replica
 * serving another's change only once it has heard of it (or once the age has passed).
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

  /** Forgets the matching entries: their next read waits for a fresh load. */
  forget(match: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  /** The value held for a key, if it has loaded (no load is started). */
  peek<T>(key: string): T | undefined {
    return (this.entries.get(key) as Entry<T> | undefined)?.value?.v;
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

/** Selects the keys named and those under a named prefix (`<name>:…`), for `invalidate` and `forget`. */
export const keysUnder =
  (names: readonly string[]) =>
  (key: string): boolean =>
    names.some((k) => key === k || key.startsWith(`${k}:`));

/** The rows' single key in the cache of a RowIndex. */
const ROWS = "rows";

/**
 * An in-process index of a collection's small fields (status, desk, author, organisation, year),
 * so that lists filter in memory and then read the page's full documents by `_id`. This process
 * patches a row after each of its own writes (`set`); other replicas hear of it by an event and
 * re-read that one row (`refresh`); past `ttlMs` the whole index reloads in the background, which
 * covers a missed event.
 */
export class RowIndex<Row extends { _id: string }> {
  private readonly cache: RefreshingCache;

  constructor(
    private readonly loadAll: () => Promise<Row[]>,
    private readonly loadOne: (id: string) => Promise<Row | null>,
    ttlMs = 5 * 60_000,
  ) {
    this.cache = new RefreshingCache({ ttlMs });
  }

  /** Every row (waiting only for the first load). */
  async all(): Promise<Row[]> {
    const rows = await this.cache.get(ROWS, async () => new Map((await this.loadAll()).map((r) => [r._id, r])));
    return [...rows.values()];
  }

  /** After a write by this process. */
  set(row: Row): void {
    this.cache.peek<Map<string, Row>>(ROWS)?.set(row._id, row);
  }

  /** After another replica's write. */
  async refresh(id: string): Promise<void> {
    if (!this.cache.peek(ROWS)) return;
    const row = await this.loadOne(id);
    const rows = this.cache.peek<Map<string, Row>>(ROWS);
    if (row) rows?.set(id, row);
    else rows?.delete(id);
  }

  clear(): void {
    this.cache.clear();
  }
}
