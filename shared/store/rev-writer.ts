/**
 * The revision-guarded conditional writer: read–modify–write of one document, guarded by its `rev`.
 *
 * Why: FerretDB 1.24 has no transactions and loses concurrent updates to one document (docs/ferretdb.md),
 * and only `_id` equality is pushed down, so a compound "update where status is X" scans. So every
 * write here reads the document by `_id`, computes the next one in code, and writes it with the
 * filter `{ _id, rev }` and `rev + 1`; if another process changed the document meanwhile the filter
 * matches nothing and the whole step is read and computed again. In this process the changes to a
 * document are queued (queue.ts), so they do not retry against each other. A first write inserts
 * with `rev: 1`; a duplicate key there means another process created it first, and it is retried.
 * Used by plans, info and notices.
 *
 * The `rev` filter alone does not hold across replicas on FerretDB: its update is a read and a
 * write in FerretDB itself, so two `updateOne({ _id, rev })` with the same `rev` can both match
 * (test/integration/store/rev-writer.test.ts saw 23 of 30 concurrent changes from two connections
 * kept). So with `lockPrefix` each read–modify–write also holds a Redis lock on its document
 * (shared/locks.ts), which the services' writers do; the `rev` guard stays for MongoDB and for any
 * write that does not come through a writer.
 *
 * On MongoDB this is the classic optimistic-concurrency pattern: one `_id` read and one `_id`
 * update per change, with a retry only under real contention (a `$set`/`$inc` would be one write),
 * plus, with the lock, two Redis round trips that MongoDB would not need.
 */
import type { Model } from "mongoose";
import { withLockWait } from "../locks";
import { isDuplicateKey } from "../params";
import { KeyedQueue } from "./queue";

export interface Revised {
  _id: string;
  rev: number;
}

/** Changes of one document under contention are computed again at most this often. */
const ATTEMPTS = 20;

export interface RevWriterOptions {
  /** Hears each document as written (a service keeps it in its cache). */
  onWritten?: (collection: string, doc: Revised) => void;
  /** Hold a Redis lock `<lockPrefix><collection>/<id>` over each change, for several replicas on FerretDB. */
  lockPrefix?: string;
}

export class RevWriter {
  private readonly queue = new KeyedQueue();

  constructor(private readonly opts: RevWriterOptions = {}) {}

  /**
   * `mutate` returns the next document, or null to change nothing; `init` gives the document to start
   * from when there is none (null: nothing to change). Resolves to `{ before, after }`; `after` is
   * null when nothing was written.
   */
  update<T extends Revised>(
    model: Model<T>,
    id: string,
    mutate: (doc: T) => T | null,
    init: () => T | null = () => null,
  ): Promise<{ before: T | null; after: T | null }> {
    const coll = model.collection;
    const key = `${coll.collectionName}/${id}`;
    const { lockPrefix, onWritten } = this.opts;
    const change = async (): Promise<{ before: T | null; after: T | null }> => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const cur = (await coll.findOne({ _id: id } as never)) as unknown as T | null;
        if (!cur) {
          const fresh = init();
          const next = fresh && mutate(fresh);
          if (!next) return { before: null, after: null };
          const after = { ...next, _id: id, rev: 1 };
          try {
            await coll.insertOne(after as never);
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
          onWritten?.(coll.collectionName, after);
          return { before: null, after };
        }
        const next = mutate(structuredClone(cur));
        if (!next) return { before: cur, after: null };
        const { _id, rev: _rev, ...rest } = next;
        const r = await coll.updateOne(
          { _id: id, rev: cur.rev } as never,
          { $set: { ...rest, rev: cur.rev + 1 } } as never,
        );
        if (r.matchedCount === 1) {
          const after = { ...next, _id: id, rev: cur.rev + 1 };
          onWritten?.(coll.collectionName, after);
          return { before: cur, after };
        }
      }
      throw new Error(`too many concurrent changes to ${key}`);
    };
    return this.queue.run(key, () => (lockPrefix ? withLockWait(lockPrefix + key, 30_000, change) : change()));
  }
}
