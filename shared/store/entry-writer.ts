/**
 * The per-document entry writer: keyed, versioned entries in `_id`-keyed documents,
 * `{ _id, ...init, [field]: { [key]: entry } }`. Used by the assessment counters and the reminders'
 * daily summary.
 *
 * Why: read models kept as `_id`-keyed documents are fast on every backend (FerretDB 1.24 on SQLite
 * pushes no other filter down), but FerretDB loses concurrent updates to one document, even `$inc`
 * (docs/ferretdb.md). So writes to a document never overlap: in one process a queue per document
 * (queue.ts) merges what arrives while a write waits into that write, and with `lockPrefix` a Redis
 * lock per document keeps replicas from overlapping too. An entry replaces the stored one only with
 * a higher `v`, so redelivered and reordered events are harmless. A rebuild replaces whole documents
 * through the same queue.
 *
 * On MongoDB a `$max`-guarded `$set` per entry would do without the queue and the lock; here each
 * batch costs an `_id` read and an `_id` update (plus a Redis lock round trip with `lockPrefix`),
 * and a document's writes from one process go one at a time.
 */
import type { Model } from "mongoose";
import { withLockWait } from "../locks";
import { isDuplicateKey } from "../params";
import { KeyedQueue } from "./queue";

export interface Versioned {
  v: number;
}

/** A document of maps of versioned entries: `field` names the map (e.g. "facts", "att", "msgs"). */
export interface EntryDoc {
  _id: string;
  [field: string]: unknown;
}

export interface EntryWriterOptions<D> {
  /** Hears each document as stored after a write (a service updates its cache). */
  onWritten?: (doc: D) => void;
  /** Lock each write in Redis under `<lockPrefix><id>`, for several replicas on FerretDB. */
  lockPrefix?: string;
}

interface Pending {
  init: Record<string, unknown>;
  replace: EntryDoc | null;
  entries: Map<string, { field: string; key: string; entry: Versioned }>;
  /** Settles when the write that took this batch has landed. */
  done: Promise<void>;
}

const slot = (field: string, key: string): string => `${field}\u0000${key}`;
const mapOf = (doc: EntryDoc | null, field: string): Record<string, Versioned> =>
  ((doc?.[field] as Record<string, Versioned> | undefined) ?? {}) as Record<string, Versioned>;

export class EntryWriter<D extends { _id: string }> {
  /** The batch of each document that waits for its turn; what arrives meanwhile merges into it. */
  private readonly pending = new Map<string, Pending>();
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly model: Model<D>,
    private readonly opts: EntryWriterOptions<D> = {},
  ) {}

  /** Sets `doc[field][key]` unless the document holds the same or a newer version. */
  apply<E extends Versioned>(
    id: string,
    init: Record<string, unknown>,
    field: string,
    key: string,
    entry: E,
  ): Promise<void> {
    if (key.includes(".") || key.startsWith("$")) throw new Error(`entry key may not contain "." or start with "$"`);
    const p = this.batchFor(id, init);
    const queued = p.entries.get(slot(field, key));
    if (!queued || queued.entry.v < entry.v) p.entries.set(slot(field, key), { field, key, entry });
    return p.done;
  }

  /** Replaces the whole document (a rebuild); entries applied after this call still merge in. */
  replace(doc: D): Promise<void> {
    const p = this.batchFor(doc._id, {});
    p.replace = doc as unknown as EntryDoc;
    p.entries.clear();
    return p.done;
  }

  /** Resolves once every write queued so far has landed. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private batchFor(id: string, init: Record<string, unknown>): Pending {
    const waiting = this.pending.get(id);
    if (waiting) return waiting;
    const p: Pending = { init, replace: null, entries: new Map(), done: Promise.resolve() };
    this.pending.set(id, p);
    p.done = this.queue.run(id, async () => {
      this.pending.delete(id); // from here on, what arrives goes in the next batch
      const { lockPrefix, onWritten } = this.opts;
      const doc = await (lockPrefix
        ? withLockWait(lockPrefix + id, 30_000, () => this.write(id, p))
        : this.write(id, p));
      if (doc) onWritten?.(doc);
    });
    return p;
  }

  /** Writes one batch; returns the document as now stored, or null when nothing changed. */
  private async write(id: string, p: Pending): Promise<D | null> {
    const coll = this.model.collection;
    if (p.replace) {
      const doc = structuredClone(p.replace) as unknown as EntryDoc;
      for (const { field, key, entry } of p.entries.values()) {
        const map = mapOf(doc, field);
        if (!map[key] || map[key].v < entry.v) map[key] = entry;
        doc[field] = map;
      }
      await coll.replaceOne({ _id: id } as never, doc as never, { upsert: true });
      return doc as unknown as D;
    }
    const current = (await coll.findOne({ _id: id } as never)) as EntryDoc | null;
    const set: Record<string, Versioned> = {};
    const next: EntryDoc = current ? structuredClone(current) : { _id: id, ...structuredClone(p.init) };
    for (const { field, key, entry } of p.entries.values()) {
      const map = mapOf(next, field);
      if (map[key] && map[key].v >= entry.v) continue;
      map[key] = entry;
      next[field] = map;
      set[`${field}.${key}`] = entry;
    }
    if (!Object.keys(set).length) return null;
    if (!current) {
      try {
        await coll.insertOne(next as never);
        return next as unknown as D;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return this.write(id, p); // another process created it meanwhile
      }
    }
    await coll.updateOne({ _id: id } as never, { $set: set } as never);
    return next as unknown as D;
  }
}
