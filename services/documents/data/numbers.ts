/**
 * Taking a 文号 with no gaps and no duplicates, with any number of replicas, on MongoDB and FerretDB.
 *
 * Why not a counter document advanced by `$inc` or by a conditional update (`{_id, last: n}` →
 * `n + 1`): FerretDB 1.24 applies an update as read, then write, without holding the document, so
 * two concurrent updates of one document can both "match" (docs/ferretdb.md: 20 concurrent `$inc`
 * leave 3 to 7). Both callers would get the same number. What every backend does enforce is the
 * unique `_id`: of two inserts of one `_id`, exactly one succeeds.
 *
 * So number n of a sequence is the document `_id = <org>|<文种>|<year>|<n>` in `numbers`, holding the
 * id of the document it was issued to: inserting it is the reservation and the record of the issue
 * in one atomic write. A caller starts at the counter's hint + 1 and, on a duplicate key, tries the
 * next number (the replica keeps its own last number as a first hint, read from the counter once).
 * The hint is written only with numbers already taken and all numbers below a taken
 * one were taken first (each caller moved up from a lower one only after a duplicate), so the hint
 * is never ahead of the truth: a lost or stale hint write costs a few extra tries, never a gap.
 * A document is marked `issuing` before its number is taken; a retried issue (after a crash between
 * the insert and the document's update) finds the number already held by that document instead of
 * taking a second one. Within one process, issues of one sequence queue (fewer collisions).
 */
import { isDuplicateKey } from "../../../shared/params";
import type { KeyedQueue } from "../../../shared/store/queue";
import type { Models, NumberDoc } from "./models";

export async function takeNumber(
  m: Models,
  queue: KeyedQueue,
  /** This replica's last number per sequence (a hint like the counter's, never ahead of the truth). */
  hints: Map<string, number>,
  key: string,
  docId: string,
  format: (n: number) => string,
  retried: boolean,
): Promise<{ seq: number; number: string }> {
  if (retried) {
    const held = await m.Number.collection.findOne({ docId } as never);
    if (held) return { seq: Number((held._id as unknown as string).split("|").pop()), number: held.number as string };
  }
  return queue.run(`number/${key}`, async () => {
    const hint =
      hints.get(key) ?? ((await m.Counter.collection.findOne({ _id: key } as never))?.last as number | undefined);
    for (let n = (hint ?? 0) + 1; ; n++) {
      const doc: NumberDoc = { _id: `${key}|${n}`, docId, number: format(n), at: new Date() };
      try {
        await m.Number.collection.insertOne(doc as never);
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      hints.set(key, n);
      await m.Counter.collection
        .updateOne({ _id: key, last: { $not: { $gte: n } } } as never, { $set: { last: n } }, { upsert: true })
        .catch((err) => {
          if (!isDuplicateKey(err)) throw err;
        });
      return { seq: n, number: doc.number };
    }
  });
}
