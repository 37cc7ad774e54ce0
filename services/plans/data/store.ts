/**
 * Reads and writes of the plans documents: by `_id`, from memory for the collections the pages
 * read (see doc-cache.ts), the bulk preload, and the `rev`-guarded conditional write (the toolkit's).
 */
import type { Model } from "mongoose";
import type { MonthScope } from "../../../shared/contracts/plans";
import { NotFoundError } from "../../../shared/errors";
import { monthKey, monthOf, shiftMonth } from "../deadlines";
import type { This } from "../types";
import { yearPlanId, type TaskDoc, type YearPlanDoc } from "./models";

/** Collections the pages and the matrix read, held in memory (see doc-cache.ts). */
const CACHED = new Set(["year_plans", "months", "month_status", "evidence", "settings", "tasks"]);
/** Full reload of the held documents, in case a replica's change broadcast was lost. */
export const RELOAD_MS = 10 * 60_000;

export const storeMethods = {
  /** A document by `_id`, from memory for the collections the pages read. */
  doc<T extends { _id: string }>(this: This, model: Model<T>, id: string): Promise<T | null> {
    const read = () => model.findById(id).lean<T>().exec() as Promise<T | null>;
    return CACHED.has(model.collection.collectionName)
      ? this.docs.get(model.collection.collectionName, id, read)
      : read();
  },

  /** Keeps a document this process wrote, and tells the other plans replicas to re-read it. */
  cached(this: This, collection: string, doc: { _id: string }, announce = true): void {
    if (!CACHED.has(collection)) return;
    this.docs.put(collection, doc._id, structuredClone(doc));
    if (announce)
      this.broker
        .broadcast("plans.cache.changed", { keys: [{ collection, id: doc._id }] }, { groups: ["plans"] })
        .catch((err: Error) => this.logger.warn("cache change not sent:", err.message));
  },

  /** Runs an update of one document by `_id`, then keeps the document as written. */
  async written<T extends { _id: string }>(
    this: This,
    model: Model<T>,
    id: string,
    write: () => Promise<unknown>,
  ): Promise<void> {
    await write();
    const doc = await model.collection.findOne({ _id: id } as never);
    if (doc) this.cached(model.collection.collectionName, doc as unknown as { _id: string });
  },

  /** Loads this year's plans, this and last month's documents and the small collections in bulk. */
  async preload(this: This): Promise<void> {
    const current = monthOf(this.today());
    const months = [current, shiftMonth(current, -1)];
    const load = async <T extends { _id: string }>(model: Model<T>, scope: string, filter: object) => {
      const since = this.docs.readStarts();
      const docs = await model.collection.find(filter as never).toArray();
      this.docs.loaded(model.collection.collectionName, scope, docs as unknown as { _id: string }[], since);
    };
    await load(this.m.YearPlan, String(current.year), { year: current.year });
    await load(this.m.Task, String(current.year), { year: current.year });
    for (const m of months) await load(this.m.Month, monthKey(m), { year: m.year, month: m.month });
    await load(this.m.MonthStatus, "*", {});
    await load(this.m.Evidence, "*", {});
    await load(this.m.Setting, "*", {});
  },

  async loadTask(this: This, id: string): Promise<TaskDoc> {
    const doc = await this.doc(this.m.Task, id);
    if (!doc) throw new NotFoundError("TASK_NOT_FOUND", "任务不存在");
    return structuredClone(doc); // the held copy stays as stored, whatever the caller does
  },

  async yearPlanTasks(this: This, scope: MonthScope, ownerId: string, year: number): Promise<TaskDoc[]> {
    const doc = await this.doc<YearPlanDoc>(this.m.YearPlan, yearPlanId(scope, ownerId, year));
    return doc?.tasks ?? [];
  },

  /**
   * Read–modify–write of one document guarded by its `rev` (shared/store/rev-writer.ts); the document
   * as written is kept in memory and announced to the other replicas.
   */
  async cas<T extends { _id: string; rev: number }>(
    this: This,
    model: Model<T>,
    id: string,
    init: () => T,
    mutate: (doc: T) => T | null,
  ): Promise<T | null> {
    return (await this.writer.update(model, id, mutate, init)).after;
  },
};
