/**
 * The learning platform's records as stored here: the source of the learning facts. A record the
 * same as stored is left alone (no write, no fact); new or changed ones are stored with the next
 * version and applied as facts, IMPORT_BATCH at a time (shared/store/import-jobs.ts).
 */
import { audit } from "../../../shared/audit";
import type { IndicatorFact, LearningImportResult } from "../../../shared/contracts/assessment";
import { ValidationError } from "../../../shared/errors";
import { batchedWrites } from "../../../shared/store/import-jobs";
import type { JobReport } from "../../../shared/store/jobs";
import { yearOf } from "../counters";
import type { CheckedRecord } from "../learning";
import type { Ctx, This } from "../types";
import type { LearningDoc } from "./models";

/** One record to store, with the facts it moves (a retraction where it was, when it moved). */
export interface LearningWrite {
  doc: LearningDoc;
  facts: IndicatorFact[];
}

export interface LearningPlan {
  writes: LearningWrite[];
  counts: LearningImportResult;
}

/** One learning import runs at a time, bureau-wide (two would race on the same records). */
export const LEARNING_IMPORT_KEY = "learning";

/** An import job's input; `ctx` is the request that started it: who is audited and from where. */
export interface LearningImport {
  plan: LearningPlan;
  ctx: Ctx<unknown>;
}

/** A report that goes nowhere, for writes made within a request (the platform's push). */
const UNREPORTED: JobReport = { progress: () => undefined, warn: () => undefined };

/** What storing `records` changes against what is stored (`stored` by record id). Pure. */
export function planLearningWrites(
  records: CheckedRecord[],
  stored: Map<string, LearningDoc>,
  now: Date,
): LearningPlan {
  const counts: LearningImportResult = { created: 0, updated: 0, unchanged: 0 };
  const writes: LearningWrite[] = [];
  for (const r of records) {
    const old = stored.get(r.recordId);
    if (old && old.staffId === r.staffId && old.date === r.date && old.hours === r.hours && old.course === r.course) {
      counts.unchanged++;
      continue;
    }
    const version = (old?.version ?? 0) + 1;
    const { recordId, ...rest } = r;
    if (old) counts.updated++;
    else counts.created++;
    const fact = (
      x: { staffId: string; orgId: string; divisionId: string; date: string },
      value: number,
    ): IndicatorFact => ({
      factId: `learn:${recordId}`,
      version,
      kind: "learning",
      staffId: x.staffId,
      orgId: x.orgId,
      divisionId: x.divisionId,
      date: x.date,
      value,
      label: r.course,
      level: null,
    });
    const facts: IndicatorFact[] = [];
    // A record moved to another person or year leaves a retraction where it was.
    if (old && (old.staffId !== r.staffId || yearOf(old.date) !== yearOf(r.date))) facts.push(fact(old, 0));
    facts.push(fact(r, r.hours));
    writes.push({ doc: { _id: recordId, year: yearOf(r.date), ...rest, version, updatedAt: now }, facts });
  }
  return { writes, counts };
}

export const learningStoreMethods = {
  /**
   * Compares checked records with the stored ones. A record already stored for someone the caller
   * may not record for (`mayRecordFor` its old organisation) is not overwritten: 422 naming it, and
   * nothing is written.
   */
  async planLearning(
    this: This,
    records: CheckedRecord[],
    mayRecordFor: (orgId: string) => boolean,
  ): Promise<LearningPlan> {
    const ids = records.map((r) => r.recordId);
    // Few records: `_id` lookups; many: one scan is cheaper than thousands of lookups.
    const existing = (ids.length <= 200
      ? await Promise.all(ids.map((id) => this.m.Learning.collection.findOne({ _id: id } as never)))
      : await this.m.Learning.collection.find({ _id: { $in: ids } } as never).toArray()
    ).filter(Boolean) as unknown as LearningDoc[];
    const foreign = existing.filter((d) => !mayRecordFor(d.orgId));
    if (foreign.length)
      throw new ValidationError(
        "学习记录编号已属于其他单位的人员，未写入任何数据",
        foreign.map((d) => ({ field: "recordId", message: `记录 ${d._id} 属于其他单位的人员，不能覆盖` })),
      );
    return planLearningWrites(records, new Map(existing.map((d) => [d._id, d])), this.clock.now());
  },

  /** Stores a plan's records and applies their facts, a batch at a time. */
  async applyLearning(this: This, plan: LearningPlan, report: JobReport = UNREPORTED): Promise<LearningImportResult> {
    const write = batchedWrites(report, plan.writes.length);
    await write(plan.writes, async (batch) => {
      await this.m.Learning.collection.bulkWrite(
        batch.map(({ doc }) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })) as never,
        { ordered: false },
      );
      await Promise.all(batch.flatMap((w) => w.facts).map((f) => this.recordFact(f)));
    });
    return plan.counts;
  },

  /** An import file's job (learning.import). */
  async applyLearningImport(
    this: This,
    { plan, ctx }: LearningImport,
    report: JobReport,
  ): Promise<LearningImportResult> {
    const result = await this.applyLearning(plan, report);
    await audit(ctx, "assessment.learning.import", "success", null, { ...result });
    return result;
  },

  /** New or changed records stored and applied, within the request (the platform's push). */
  async writeLearning(
    this: This,
    records: CheckedRecord[],
    mayRecordFor: (orgId: string) => boolean,
  ): Promise<LearningImportResult> {
    return this.applyLearning(await this.planLearning(records, mayRecordFor));
  },
};
