/**
 * Keeps each worklog replica's read index (log-index.ts) current with the logs that other replicas
 * change.
 *
 * - A replica applies its own writes to its index at once.
 * - It tells the others by a broadcast (`worklog.cache.invalidate` with the changed log ids and a
 *   change stamp each); they re-read those logs by `_id` (the one lookup FerretDB/SQLite pushes down).
 * - Broadcasts are fire-and-forget, so every change is also noted in a change journal: one small
 *   document per (writer, 10-second slot), keyed by `_id`, written by that writer only and one write
 *   at a time (FerretDB 1.24 loses concurrent updates to one document, see BucketWriter). Each
 *   replica reads the recent slots of the other writers every little while (the catch-up) and
 *   re-reads the logs whose stamp it has not seen. Writers list themselves in a tiny `index_writers`
 *   collection, so a reader knows whose slots to read.
 *
 * Re-reads of one log are serialised and repeated if another change arrives meanwhile, so the index
 * ends on the state read after the last change, whatever order the events arrive in.
 */
import type { LogIndex } from "./log-index";
import type { LogDoc } from "./worklog.model";

export const SLOT_MS = 10_000;
/** Slots read again on each catch-up, for writes that landed late and for clock skew between hosts. */
const OVERLAP_SLOTS = 3;
/** Stamps seen are forgotten after this long: later catch-ups no longer read their slots. */
const SEEN_KEEP_MS = 10 * 60_000;
/** Journal slots older than this are deleted by their writer. */
const JOURNAL_KEEP_MS = 24 * 3600_000;

export interface JournalDoc {
  _id: string;
  writer: string;
  slot: number;
  /** log id → change stamp */
  logs: Record<string, string>;
}

export interface WriterDoc {
  _id: string;
  /** The last slot this writer wrote to. */
  slot: number;
}

/** The few driver calls the journal needs (the raw collections, so that the documents keep their shape). */
export interface Coll<T> {
  findOne(filter: { _id: string }): Promise<T | null>;
  find(filter: Record<string, never>): { toArray(): Promise<T[]> };
  updateOne(filter: { _id: string }, update: object, opts?: { upsert: boolean }): Promise<unknown>;
  deleteOne(filter: { _id: string }): Promise<unknown>;
}

export const slotOf = (ms: number): number => Math.floor(ms / SLOT_MS);
const journalId = (writer: string, slot: number): string => `${writer}|${slot}`;

/** This replica's side of the journal: notes changes, one write at a time, merging what arrives meanwhile. */
export class JournalWriter {
  private pending = new Map<number, Map<string, string>>();
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private busy = false;
  private registered = -1;

  constructor(
    private readonly journal: Coll<JournalDoc>,
    private readonly writers: Coll<WriterDoc>,
    readonly writerId: string,
    private readonly now: () => number = Date.now,
  ) {}

  note(changes: [string, string][]): Promise<void> {
    const slot = slotOf(this.now());
    let p = this.pending.get(slot);
    if (!p) this.pending.set(slot, (p = new Map()));
    for (const [id, stamp] of changes) p.set(id, stamp);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.busy) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.pending.size) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = new Map();
      this.waiters = [];
      try {
        for (const [slot, logs] of batch) await this.write(slot, logs);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.busy = false;
  }

  private async write(slot: number, logs: Map<string, string>): Promise<void> {
    if (slot > this.registered) {
      // Listed before its first entry of the slot, so a reader that sees the entry knows the writer.
      await this.writers.updateOne({ _id: this.writerId }, { $set: { slot } }, { upsert: true });
      if (this.registered >= 0)
        await this.journal.deleteOne({ _id: journalId(this.writerId, slotOf(this.now() - JOURNAL_KEEP_MS)) });
      this.registered = slot;
    }
    const set: Record<string, unknown> = { writer: this.writerId, slot };
    for (const [id, stamp] of logs) set[`logs.${id}`] = stamp;
    await this.journal.updateOne({ _id: journalId(this.writerId, slot) }, { $set: set }, { upsert: true });
  }
}

export interface SyncOptions {
  journal: Coll<JournalDoc>;
  writers: Coll<WriterDoc>;
  writerId: string;
  /** Reads one log by `_id` (null when it no longer exists: a deleted draft). */
  load: (id: string) => Promise<LogDoc | null>;
  now?: () => number;
}

/** Applies changes to one replica's index: its own at once, the others' by re-reading them. */
export class IndexSync {
  readonly writer: JournalWriter;
  private readonly seen = new Map<string, { stamp: string; at: number }>();
  private readonly inflight = new Map<string, { again: boolean; done: Promise<void> }>();
  private seq = 0;
  /** Start of the last catch-up: the next one reads from a little before it. */
  private caughtUpFrom: number;
  private readonly now: () => number;

  constructor(
    public index: LogIndex,
    private readonly opts: SyncOptions,
    /** When the index was read from the database: the first catch-up starts there. */
    builtFrom: number,
  ) {
    this.now = opts.now ?? Date.now;
    this.writer = new JournalWriter(opts.journal, opts.writers, opts.writerId, this.now);
    this.caughtUpFrom = builtFrom;
  }

  /** A rebuilt index replaces the current one; the next catch-up starts from when it was read. */
  replace(index: LogIndex, builtFrom: number): void {
    this.index = index;
    this.caughtUpFrom = Math.min(this.caughtUpFrom, builtFrom);
  }

  /** A change made here: applied to the index now; resolves once it is in the journal. Returns its stamp. */
  local(change: (index: LogIndex) => void, id: string): { stamp: string; journaled: Promise<void> } {
    change(this.index);
    const stamp = `${this.opts.writerId}.${(++this.seq).toString(36)}`;
    this.seen.set(id, { stamp, at: this.now() });
    // A re-read of this log in flight may have read the state before this change: read again after it.
    const running = this.inflight.get(id);
    if (running) running.again = true;
    return { stamp, journaled: this.writer.note([[id, stamp]]) };
  }

  /** Changes another replica announced (or the journal lists): re-read those not seen yet. */
  async remote(changes: [string, string][]): Promise<void> {
    await Promise.all(
      changes.map(async ([id, stamp]) => {
        if (this.seen.get(id)?.stamp === stamp) return;
        await this.refresh(id);
        this.seen.set(id, { stamp, at: this.now() });
      }),
    );
  }

  /** Re-reads one log by `_id` into the index. */
  refresh(id: string): Promise<void> {
    const running = this.inflight.get(id);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          const doc = await this.opts.load(id);
          if (doc) this.index.apply(doc);
          else this.index.remove(id);
        } while (state.again);
      } finally {
        this.inflight.delete(id);
      }
    })();
    this.inflight.set(id, state);
    return state.done;
  }

  /** Reads the other writers' recent journal slots and re-reads the logs changed there that were not seen. */
  async catchUp(): Promise<{ writers: number; changes: number }> {
    const started = this.now();
    const from = slotOf(this.caughtUpFrom) - OVERLAP_SLOTS;
    const to = slotOf(started);
    const writers = (await this.opts.writers.find({}).toArray()).filter(
      (w) => w._id !== this.opts.writerId && w.slot >= from,
    );
    const latest = new Map<string, string>();
    for (const w of writers) {
      const ids = [];
      for (let s = from; s <= Math.min(to, w.slot); s++) ids.push(journalId(w._id, s));
      const docs = await Promise.all(ids.map((_id) => this.opts.journal.findOne({ _id })));
      for (const d of docs) for (const [id, stamp] of Object.entries(d?.logs ?? {})) latest.set(id, stamp);
    }
    const unseen = [...latest].filter(([id, stamp]) => this.seen.get(id)?.stamp !== stamp);
    await this.remote(unseen);
    this.caughtUpFrom = started;
    for (const [id, s] of this.seen) if (started - s.at > SEEN_KEEP_MS) this.seen.delete(id);
    return { writers: writers.length, changes: unseen.length };
  }
}
