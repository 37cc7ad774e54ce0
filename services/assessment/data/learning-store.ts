/** The learning platform's records as stored here: the source of the learning facts. */
import type { IndicatorFact, LearningImportResult } from "../../../shared/contracts/assessment";
import { ValidationError } from "../../../shared/errors";
import { yearOf } from "../counters";
import type { CheckedRecord } from "../learning";
import type { This } from "../types";
import { BATCH, type LearningDoc } from "./models";

export const learningStoreMethods = {
  /**
   * Learning records: new or changed ones stored with the next version, and applied as facts. A
   * record already stored for someone the caller may not record for (`mayRecordFor` its old
   * organisation) is not overwritten: 422 naming it, and nothing is written.
   */
  async writeLearning(
    this: This,
    records: CheckedRecord[],
    mayRecordFor: (orgId: string) => boolean,
  ): Promise<LearningImportResult> {
    const ids = records.map((r) => r.recordId);
    // Few records: `_id` lookups; many: one scan is cheaper than thousands of lookups.
    const existing = (ids.length <= 200
      ? await Promise.all(ids.map((id) => this.m.Learning.collection.findOne({ _id: id } as never)))
      : await this.m.Learning.collection.find({ _id: { $in: ids } } as never).toArray()
    ).filter(Boolean) as unknown as LearningDoc[];
    const byId = new Map(existing.map((d) => [d._id, d]));
    const foreign = existing.filter((d) => !mayRecordFor(d.orgId));
    if (foreign.length)
      throw new ValidationError(
        "学习记录编号已属于其他单位的人员，未写入任何数据",
        foreign.map((d) => ({ field: "recordId", message: `记录 ${d._id} 属于其他单位的人员，不能覆盖` })),
      );
    const now = this.clock.now();
    const result: LearningImportResult = { created: 0, updated: 0, unchanged: 0 };
    const writes: LearningDoc[] = [];
    const facts: IndicatorFact[] = [];
    for (const r of records) {
      const old = byId.get(r.recordId);
      if (old && old.staffId === r.staffId && old.date === r.date && old.hours === r.hours && old.course === r.course) {
        result.unchanged++;
        continue;
      }
      const version = (old?.version ?? 0) + 1;
      const { recordId, ...rest } = r;
      writes.push({ _id: recordId, year: yearOf(r.date), ...rest, version, updatedAt: now });
      if (old) result.updated++;
      else result.created++;
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
      // A record moved to another person or year leaves a retraction where it was.
      if (old && (old.staffId !== r.staffId || yearOf(old.date) !== yearOf(r.date))) facts.push(fact(old, 0));
      facts.push(fact(r, r.hours));
    }
    for (let i = 0; i < writes.length; i += BATCH)
      await this.m.Learning.collection.bulkWrite(
        writes
          .slice(i, i + BATCH)
          .map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })) as never,
        { ordered: false },
      );
    await Promise.all(facts.map((f) => this.recordFact(f)));
    return result;
  },
};
