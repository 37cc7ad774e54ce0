/**
 * Keyed, versioned entries in `_id`-keyed documents: `{ _id, ...init, [field]: { [key]: entry } }`.
 *
 * Why: read models kept as `_id`-keyed documents are fast on every backend (FerretDB 1.24 on SQLite
 * pushes no other filter down), but FerretDB loses concurrent updates to one document (even
 * `$inc`). So writes to a document never overlap: in one process a queue per document merges what
 * arrives meanwhile into the next write, and with `lockPrefix` a Redis lock per document keeps
 * replicas from overlapping too. An entry replaces the stored one only with a higher `v`, so
 * redelivered and reordered events are harmless. A rebuild replaces whole documents through the
 * same queue. Used by the reminders' daily summary and the assessment counters.
 */
import { isDuplicateKey } from "./params";
import type { Model } from "mongoose";
import { withLockWait } from "./locks";

export interface Versioned {
  v: number;
}

/** A document of maps of versioned entries: `field` names the map (e.g. "facts", "att", "msgs"). */
export interface EntryDoc {
  _id: string;
  [field: string]: unknown;
}

export interface DocWriterOptions<D> {
  /** Hears each document as stored after a write (a service updates its cache). */
  onWritten?: (doc: D) => void;
  /** Lock each write in Redis under `<lockPrefix><id>`, for several replicas on FerretDB. */
  lockPrefix?: string;
}

interface Pending {
  init: Record<string, unknown>;
  replace: EntryDoc | null;
  entries: Map<string, { field: string; key: string; entry: Versioned }>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

const slot = (field: string, key: string): string => `${field}\u0000${key}`;
const mapOf = (doc: EntryDoc | null, field: string): Record<string, Versioned> =>
  ((doc?.[field] as Record<string, Versioned> | undefined) ?? {}) as Record<string, Versioned>;

export class DocWriter<D extends { _id: string }> {
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly model: Model<D>,
    private readonly opts: DocWriterOptions<D> = {},
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
    const p = this.slotFor(id, init);
    const queued = p.entries.get(slot(field, key));
    if (!queued || queued.entry.v < entry.v) p.entries.set(slot(field, key), { field, key, entry });
    return this.enqueue(id, p);
  }

  /** Replaces the whole document (a rebuild); entries applied after this call still merge in. */
  replace(doc: D): Promise<void> {
    const p = this.slotFor(doc._id, {});
    p.replace = doc;
    p.entries.clear();
    return this.enqueue(doc._id, p);
  }

  /** Resolves once every write queued so far has landed. */
  async idle(): Promise<void> {
    while (this.busy.size) await new Promise((r) => setTimeout(r, 5));
  }

  private slotFor(id: string, init: Record<string, unknown>): Pending {
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = { init, replace: null, entries: new Map(), waiters: [] }));
    return p;
  }

  private enqueue(id: string, p: Pending): Promise<void> {
    const done = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (!this.busy.has(id)) void this.drain(id);
    return done;
  }

  private async drain(id: string): Promise<void> {
    this.busy.add(id);
    try {
      for (let p = this.pending.get(id); p; p = this.pending.get(id)) {
        this.pending.delete(id);
        try {
          const { lockPrefix, onWritten } = this.opts;
          const doc = await (lockPrefix
            ? withLockWait(lockPrefix + id, 30_000, () => this.write(id, p!))
            : this.write(id, p));
          if (doc) onWritten?.(doc);
          for (const w of p.waiters) w.resolve();
        } catch (err) {
          for (const w of p.waiters) w.reject(err);
        }
      }
    } finally {
      this.busy.delete(id);
    }
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
