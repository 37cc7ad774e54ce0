/**
 * Counts the database writes made in this process while a test runs, by collection: the driver's own
 * methods are spied on, so mongoose models, `model.collection.*` and bulk writes are all seen.
 * Import tests use it to show that an unchanged file writes nothing and a changed one writes only
 * what changed (a job's own progress document is left out: it is not the import's data).
 */
import mongoose from "mongoose";

const WRITES = [
  "insertOne",
  "insertMany",
  "updateOne",
  "updateMany",
  "replaceOne",
  "deleteOne",
  "deleteMany",
  "findOneAndUpdate",
  "findOneAndReplace",
  "bulkWrite",
] as const;

export interface WriteLog {
  /** Documents written per collection (a bulk write or insertMany counts each of its operations). */
  counts(): Record<string, number>;
  restore(): void;
}

export function recordWrites(ignore: RegExp = /jobs$/): WriteLog {
  const counts: Record<string, number> = {};
  const proto = mongoose.mongo.Collection.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const spies = WRITES.map((method) => {
    const original = proto[method];
    return jest.spyOn(proto, method).mockImplementation(function (this: { collectionName: string }, ...args) {
      if (!ignore.test(this.collectionName))
        counts[this.collectionName] =
          (counts[this.collectionName] ?? 0) + (Array.isArray(args[0]) ? args[0].length : 1);
      return original.apply(this, args);
    });
  });
  return {
    counts: () => ({ ...counts }),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
