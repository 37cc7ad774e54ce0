/** Actions: demo learning records, then the year rebuilt from every source. */
import type { Service } from "moleculer";
import type { AssessmentSeedResult } from "../../../shared/contracts/assessment";
import { emptyModels } from "../../../shared/db";
import { yearOf } from "../counters";
import { BATCH, type LearningDoc } from "../data/models";
import { generateLearning } from "../demo-data";
import type { Ctx, This } from "../types";

export const demoActions: Service.ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<AssessmentSeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Learning.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      await this.people.idle();
      await this.orgYears.idle();
      await emptyModels(Object.values(this.m));
      this.years.clear();
      this.snapshots.clear();
      this.invalidateRefs();
      const refs = await this.refs();
      const active = [...refs.staff.values()].filter((s) => s.status === "active");
      const records = generateLearning(this.today(), active);
      const now = this.clock.now();
      const docs: LearningDoc[] = records.map(({ recordId, ...r }) => ({
        _id: recordId,
        year: yearOf(r.date),
        ...r,
        version: 1,
        updatedAt: now,
      }));
      for (let i = 0; i < docs.length; i += BATCH)
        await this.m.Learning.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      const rebuild = await this.rebuild(this.currentYear());
      const result = { seeded: true, learningRecords: docs.length, rebuild, ms: Date.now() - started };
      this.logger.info("Demo assessment data seeded", result);
      return result;
    },
  },
};
