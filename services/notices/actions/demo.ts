/** Demo data: a year of notices with read receipts (demo-data.ts). */
import type { Service } from "moleculer";
import type { Model } from "mongoose";
import type { NoticesSeedResult } from "../../../shared/contracts/notices";
import { emptyModels } from "../../../shared/db";
import { generateNoticesDemo } from "../demo-data";
import type { Ctx, This } from "../types";

const BATCH = 1000;

export const demoActions: Service.ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<NoticesSeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Notice.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      await emptyModels(Object.values(this.m));
      this.refsCache = null;
      const [refs, directory] = await Promise.all([this.refs(), this.directory({})]);
      const demo = generateNoticesDemo({
        now: this.now(),
        orgs: [...refs.orgs.values()],
        divisions: [...refs.divisions.values()],
        staff: directory.filter((s) => s.status === "active"),
      });
      const insert = async (model: Model<never>, docs: object[]) => {
        for (let i = 0; i < docs.length; i += BATCH)
          await model.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      };
      await insert(this.m.Notice as never, demo.notices);
      await insert(this.m.Reader as never, demo.readers);
      await insert(this.m.NoticeReads as never, demo.noticeReads);
      this.changed("all");
      const result: NoticesSeedResult = {
        seeded: true,
        notices: demo.notices.length,
        reads: demo.readers.reduce((s, r) => s + Object.keys(r.reads).length, 0),
        ms: Date.now() - started,
      };
      this.logger.info("Demo notices seeded", result);
      return result;
    },
  },
};
