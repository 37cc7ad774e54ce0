/** The directory copy refreshed from personnel, and the demo data (internal actions). */
import type { ServiceActionsSchema } from "moleculer";
import type { WorklogSeedResult } from "../../../shared/contracts/worklog";
import { emptyModels } from "../../../shared/db";
import { BATCH } from "../data/directory";
import { LogIndex } from "../data/log-index";
import type { StaffCopyDoc } from "../data/models";
import { generateWorklogDemo } from "../demo-data";
import { tokenize } from "../search";
import type { Ctx, This } from "../types";

export const directoryActions: ServiceActionsSchema<This> = {
  "directory.sync": {
    auth: "internal",
    params: { $$strict: true },
    async handler(this: This): Promise<{ staff: number; orgs: number }> {
      return this.syncDirectory();
    },
  },

  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional", scale: "number|optional|positive|max:1" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean; scale?: number }>): Promise<WorklogSeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Log.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      const models = [this.m.Log, this.m.Version, this.m.Read, this.m.Useful, this.m.Comment, this.m.Policy];
      await emptyModels(models); // unique indexes must exist before the first write
      this.invalidate(["policies", "calendar", "orgs", "staff"]);
      await this.syncDirectory();
      const staff = await this.m.Staff.find({ status: "active" }).sort({ _id: 1 }).lean<StaffCopyDoc[]>();
      const orgs = await this.orgs();
      const demo = generateWorklogDemo({
        today: this.today(),
        staff,
        orgs,
        calendar: await this.calendar(),
        scale: ctx.params.scale,
      });
      await this.m.Policy.collection.insertMany(demo.policies as never[]);
      const tokenStart = Date.now();
      for (const log of demo.logs) log.tokens = tokenize([log.done, log.thoughts, ...log.tags].join("\n"));
      const tokenizeMs = Date.now() - tokenStart;
      const insert = async (coll: { insertMany(d: never[], o: object): Promise<unknown> }, docs: object[]) => {
        for (let i = 0; i < docs.length; i += BATCH)
          await coll.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      };
      const head = await this.journal.head();
      const insertStart = Date.now();
      await insert(this.m.Log.collection, demo.logs);
      const insertLogsMs = Date.now() - insertStart;
      await insert(this.m.Comment.collection, demo.comments);
      await insert(this.m.Useful.collection, demo.useful);
      // The read index from the logs just written (no need to read them back); other replicas rebuild theirs.
      const indexStart = Date.now();
      this.sync.replace(LogIndex.of(demo.logs), head);
      const indexMs = Date.now() - indexStart;
      this.invalidate(["policies", "index"]);
      const result: WorklogSeedResult = {
        seeded: true,
        logs: demo.logs.length,
        comments: demo.comments.length,
        usefulMarks: demo.useful.length,
        staff: staff.length,
        tokenizeMs,
        insertLogsMs,
        indexMs,
        ms: Date.now() - started,
      };
      this.logger.info("Demo work logs seeded", result);
      return result;
    },
  },
};
