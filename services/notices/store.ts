/**
 * One writer per document. FerretDB 1.24 loses concurrent updates to one document, so changes to a
 * document run one at a time in this process (a queue per `_id`), and each write is guarded by the
 * document's `rev` and retried if another process changed it meanwhile. Every filter is `_id`
 * equality (plus `rev` on that one document), which every backend answers from its index.
 */
import { isDuplicateKey } from "../../shared/params";
import type { Model } from "mongoose";

export class DocWriter {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call for the same key has settled. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /**
   * Read–modify–write of one document. `mutate` returns the next document, or null to change
   * nothing; `init` gives the document to start from when there is none (null: nothing to change).
   * Resolves to `{ before, after }`; `after` is null when nothing was written.
   */
  update<T extends { _id: string; rev: number }>(
    model: Model<T>,
    id: string,
    mutate: (doc: T) => T | null,
    init: () => T | null = () => null,
  ): Promise<{ before: T | null; after: T | null }> {
    return this.serial(`${model.collection.name}/${id}`, async () => {
      const coll = model.collection;
      for (let attempt = 0; attempt < 20; attempt++) {
        const cur = (await coll.findOne({ _id: id } as never)) as unknown as T | null;
        if (!cur) {
          const fresh = init();
          const next = fresh && mutate(fresh);
          if (!next) return { before: null, after: null };
          try {
            await coll.insertOne({ ...next, _id: id, rev: 1 } as never);
            return { before: null, after: { ...next, rev: 1 } };
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
        }
        const next = mutate(structuredClone(cur));
        if (!next) return { before: cur, after: null };
        const { _id, rev: _rev, ...rest } = next;
        const r = await coll.updateOne(
          { _id: id, rev: cur.rev } as never,
          { $set: { ...rest, rev: cur.rev + 1 } } as never,
        );
        if (r.matchedCount === 1) return { before: cur, after: { ...next, rev: cur.rev + 1 } };
      }
      throw new Error(`notices: too many concurrent changes to ${model.collection.name}/${id}`);
    });
  }
}
