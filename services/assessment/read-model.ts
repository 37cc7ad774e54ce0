/**
 * Serialised writes of versioned entries into `_id`-keyed documents (the pattern of
 * services/worklog/read-model.ts). FerretDB loses concurrent updates to one document, even `$inc`,
 * so each document has at most one write in flight in this process; entries that arrive meanwhile
 * are merged into the next write. An entry replaces the stored one only when its version is newer,
 * so redelivered and reordered events are harmless. A rebuild replaces whole documents through the
 * same queue. Several replicas on FerretDB could still race on one document; `rebuild` restores it.
 */
import type { Model } from "mongoose";
import type { Versioned } from "./counters";

/** A document of maps of versioned entries: `fields` names the maps (e.g. "facts", "att"). */
export interface EntryDoc {
  _id: string;
  [field: string]: unknown;
}

interface Pending {
  init: Record<string, unknown>;
  replace: EntryDoc | null;
  entries: Map<string, { field: string; key: string; entry: Versioned }>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

const isDupKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;
const slot = (field: string, key: string): string => `${field}\u0000${key}`;
const mapOf = (doc: EntryDoc | null, field: string): Record<string, Versioned> =>
  ((doc?.[field] as Record<string, Versioned> | undefined) ?? {}) as Record<string, Versioned>;

export class DocWriter<D extends { _id: string }> {
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();

  /** `onWritten` hears each document as stored after a write (the service updates its cache). */
  constructor(
    private readonly model: Model<D>,
    private readonly onWritten: (doc: D) => void = () => undefined,
  ) {}

  /** Sets `doc[field][key]` unless the document holds the same or a newer version. */
  apply(id: string, init: Record<string, unknown>, field: string, key: string, entry: Versioned): Promise<void> {
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
          const doc = await this.write(id, p);
          if (doc) this.onWritten(doc);
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
        if (!isDupKey(err)) throw err;
        return this.write(id, p); // another process created it meanwhile
      }
    }
    await coll.updateOne({ _id: id } as never, { $set: set } as never);
    return next as unknown as D;
  }
}
