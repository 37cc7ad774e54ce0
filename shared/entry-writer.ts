/**
 * Keyed, versioned entries inside `_id`-keyed documents: `{ _id, ...init, [field]: { [key]: entry } }`.
 *
 * Why: read models kept as a few `_id`-keyed documents are fast on every backend (FerretDB 1.24 on
 * SQLite pushes no other filter down), but FerretDB loses concurrent updates to one document (even
 * `$inc`). So writes to a document never overlap: in one process a queue per document merges what
 * arrives meanwhile into the next write, and with `lockPrefix` a Redis lock per document keeps
 * replicas from overlapping too. An entry replaces the stored one only with a higher `v`, so a
 * redelivered or late change is harmless: consumers of at-least-once events can apply it again.
 */
import type { Collection, Document } from "mongodb";
import { withLockWait } from "./locks";

export interface Versioned {
  v: number;
}

interface Pending<E> {
  init: Record<string, unknown>;
  entries: Map<string, E>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

const isDupKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;

export interface EntryWriterOptions {
  /** The field holding the entries. */
  field: string;
  /** Lock each write in Redis under `<lockPrefix><docId>`, for several replicas on FerretDB. */
  lockPrefix?: string;
  /** Hears each document id after a write lands (to drop a cached copy). */
  onWritten?: (docId: string) => void;
}

export class EntryWriter<E extends Versioned> {
  private readonly pending = new Map<string, Pending<E>>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly coll: Collection<Document>,
    private readonly opts: EntryWriterOptions,
  ) {}

  /**
   * Sets `entry` under `key` in document `docId` unless it holds the same or a newer version;
   * `init` fields are written when the document is created. Resolves once it is stored.
   */
  apply(docId: string, key: string, entry: E, init: Record<string, unknown> = {}): Promise<void> {
    if (key.includes(".") || key.startsWith("$")) throw new Error(`entry key may not contain "." or start with "$"`);
    let p = this.pending.get(docId);
    if (!p) this.pending.set(docId, (p = { init, entries: new Map(), waiters: [] }));
    const queued = p.entries.get(key);
    if (!queued || queued.v < entry.v) p.entries.set(key, entry);
    const done = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (!this.busy.has(docId)) void this.drain(docId);
    return done;
  }

  private async drain(docId: string): Promise<void> {
    this.busy.add(docId);
    try {
      for (let p = this.pending.get(docId); p; p = this.pending.get(docId)) {
        this.pending.delete(docId);
        try {
          const { lockPrefix } = this.opts;
          await (lockPrefix
            ? withLockWait(lockPrefix + docId, 30_000, () => this.write(docId, p!))
            : this.write(docId, p));
          this.opts.onWritten?.(docId);
          for (const w of p.waiters) w.resolve();
        } catch (err) {
          for (const w of p.waiters) w.reject(err);
        }
      }
    } finally {
      this.busy.delete(docId);
    }
  }

  private async write(docId: string, p: Pending<E>): Promise<void> {
    const { field } = this.opts;
    const doc = await this.coll.findOne({ _id: docId } as never);
    const stored = (doc?.[field] ?? {}) as Record<string, E>;
    const set: Record<string, E> = {};
    for (const [key, e] of p.entries) if (!stored[key] || stored[key].v < e.v) set[key] = e;
    if (!Object.keys(set).length) return;
    if (!doc) {
      try {
        await this.coll.insertOne({ _id: docId, ...p.init, [field]: set } as never);
        return;
      } catch (err) {
        if (!isDupKey(err)) throw err;
        return this.write(docId, p); // another process created it meanwhile
      }
    }
    await this.coll.updateOne({ _id: docId } as never, {
      $set: Object.fromEntries(Object.entries(set).map(([key, e]) => [`${field}.${key}`, e])),
    });
  }
}
