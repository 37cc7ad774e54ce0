/**
 * The two write queues every store here is built on.
 *
 * - `KeyedQueue`: work for one key (a document) runs one at a time, in the order it was asked for;
 *   different keys run side by side. FerretDB 1.24 loses concurrent updates to one document (even
 *   `$inc`, on SQLite and PostgreSQL alike; docs/ferretdb.md), so no two writes of this process to
 *   one document may overlap. The revision-guarded writer (rev-writer.ts) and the entry writer
 *   (entry-writer.ts) queue through it; across replicas the `rev` guard or a Redis lock does the same.
 * - `GroupCommit`: while one `insertMany` is in flight, the documents that arrive meanwhile wait and
 *   go together in the next one. FerretDB on SQLite runs one write transaction at a time (about 260
 *   single inserts/s on this machine under load) and each costs about the same whatever it holds,
 *   so batching is what raises worklog's publish rate. An idle collection gets each document at once.
 *   The batch is unordered: one failing document (a duplicate `_id`) does not stop the others, and
 *   each caller gets its own document's outcome (the driver's write error for it, code 11000 for a
 *   duplicate), or the whole call's error when it failed as a whole (connection lost).
 *
 * On MongoDB neither is needed for correctness (updates of one document are atomic, inserts run in
 * parallel). The cost there: writes of one document from one process wait for each other (one
 * round trip each), and an insert may wait for the batch in flight (one round trip at most).
 */

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call for the same key has settled; its outcome is the caller's. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Resolves once everything queued so far (and queued while waiting) has settled. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all(this.tails.values());
  }
}

/** The driver call the batcher needs (a raw collection's `insertMany`). */
export type InsertMany<T> = (docs: T[], opts: { ordered: false }) => Promise<unknown>;

interface Waiting<T> {
  doc: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A write error of one document of an unordered `insertMany` (the driver's MongoBulkWriteError). */
interface WriteError {
  index: number;
  code?: number;
  errmsg?: string;
}

/** The error a caller whose own document failed gets: shaped like a single `insertOne`'s error. */
export class InsertError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = "InsertError";
  }
}

export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private busy = false;

  /** `maxBatch` bounds one write (FerretDB splits bigger batches itself, but a round stays short). */
  constructor(
    private readonly insertMany: InsertMany<T>,
    private readonly maxBatch = 500,
  ) {}

  /** Inserts one document; resolves once it is stored, rejects with its own error. */
  insert(doc: T): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queue.push({ doc, resolve, reject }));
    if (!this.busy) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.insertMany(
          batch.map((w) => w.doc),
          { ordered: false },
        );
        for (const w of batch) w.resolve();
      } catch (err) {
        settle(batch, err);
      }
    }
    this.busy = false;
  }
}

/** Rejects the callers whose documents failed, resolves the others; all of them if the error names none. */
function settle<T>(batch: Waiting<T>[], err: unknown): void {
  const errors = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
  if (!list.length || list.some((e) => typeof e.index !== "number")) {
    for (const w of batch) w.reject(err);
    return;
  }
  const failed = new Map(list.map((e) => [e.index, e]));
  batch.forEach((w, i) => {
    const e = failed.get(i);
    if (e) w.reject(new InsertError(e.errmsg ?? "insert failed", e.code));
    else w.resolve();
  });
}
