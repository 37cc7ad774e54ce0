/**
 * In-process copies of the plans documents the pages read (year plans, months, month status,
 * evidence, settings), so that a page's plan sections are served from memory. Plans is the only
 * writer of its database: its own writes put the new document here, other replicas are told by a
 * broadcast and re-read it by `_id`, and a periodic reload covers a lost broadcast.
 *
 * A collection "scope" (a year of year plans, a month of months, or a whole small collection) can be
 * marked complete after a bulk load: an `_id` in a complete scope that is not held is known absent,
 * so a page for someone without a plan costs no database read either.
 */
export interface CachedDoc {
  _id: string;
}

/**
 * The scope an `_id` belongs to: the year of a year plan, the month of a month document, or "*".
 * Tasks are loaded by year, which their `_id` does not show: an unknown task id is never known
 * absent (`""` is no loaded scope), and the matrix asks for the year's tasks with `select`.
 */
export function scopeOf(collection: string, id: string): string {
  if (collection === "year_plans" || collection === "months") return id.slice(id.lastIndexOf(":") + 1);
  if (collection === "tasks") return "";
  return "*";
}

export class DocCache {
  private readonly docs = new Map<string, CachedDoc | null>();
  private readonly complete = new Set<string>();
  /** When each key was last written here, on a counter that every read notes at its start. */
  private readonly writtenAt = new Map<string, number>();
  private epoch = 0;

  /** The held document, null when known absent, or the fetched one (kept for next time). */
  async get<T extends CachedDoc>(collection: string, id: string, fetch: () => Promise<T | null>): Promise<T | null> {
    const key = `${collection}:${id}`;
    if (this.docs.has(key)) return this.docs.get(key) as T | null;
    if (this.complete.has(`${collection}|${scopeOf(collection, id)}`)) return null;
    const since = this.readStarts();
    const doc = await fetch();
    this.offer(collection, id, doc, since);
    return doc;
  }

  /** A document as this process just wrote it (or re-read it after another replica wrote it). */
  put(collection: string, id: string, doc: CachedDoc | null): void {
    const key = `${collection}:${id}`;
    this.docs.set(key, doc);
    this.writtenAt.set(key, ++this.epoch);
  }

  /** Marks the start of a read; pass the mark to `offer` or `loaded` with its result. */
  readStarts(): number {
    return this.epoch;
  }

  /** A document as a read begun at `since` found it: kept unless this process wrote it since. */
  offer(collection: string, id: string, doc: CachedDoc | null, since: number): void {
    const key = `${collection}:${id}`;
    if ((this.writtenAt.get(key) ?? 0) > since) return;
    this.docs.set(key, doc);
  }

  /** A bulk read of one scope begun at `since`: afterwards an id of the scope not held is known absent. */
  loaded(collection: string, scope: string, docs: CachedDoc[], since: number): void {
    for (const d of docs) this.offer(collection, d._id, d, since);
    this.complete.add(`${collection}|${scope}`);
  }

  /**
   * The held documents of a collection that `match` selects, when `scope` was bulk-loaded complete
   * (so nothing of it is missing here); null otherwise, and the caller reads the database.
   */
  select<T extends CachedDoc>(collection: string, scope: string, match: (doc: T) => boolean): T[] | null {
    if (!this.complete.has(`${collection}|${scope}`)) return null;
    const prefix = `${collection}:`;
    const out: T[] = [];
    for (const [key, doc] of this.docs) if (doc && key.startsWith(prefix) && match(doc as T)) out.push(doc as T);
    return out;
  }

  clear(): void {
    this.docs.clear();
    this.complete.clear();
    this.writtenAt.clear();
  }
}
