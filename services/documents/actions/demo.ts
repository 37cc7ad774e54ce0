/** Demo data: a year of documents (demo-data.ts). */
import type { Service } from "moleculer";
import type { Model } from "mongoose";
import { call } from "../../../shared/contracts/actions";
import { emptyModels } from "../../../shared/db";
import { generateDocumentsDemo } from "../demo-data";
import type { Ctx, This } from "../types";

const BATCH = 500;

export const demoActions: Service.ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(
      this: This,
      ctx: Ctx<{ reset?: boolean }>,
    ): Promise<{ seeded: boolean; outgoing?: number; incoming?: number; ms?: number }> {
      const started = Date.now();
      const hasData = (await this.m.Doc.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      await emptyModels([this.m.Doc, this.m.Number, this.m.Counter, this.m.Flow]);
      this.refsCache = null;
      this.peopleCache.clear();
      this.numberHints.clear();
      const [refs, staff] = await Promise.all([
        this.refs(),
        call(this.broker, "personnel.staff.directory", {}, { meta: { system: true } }),
      ]);
      const demo = generateDocumentsDemo({
        now: this.now(),
        orgs: [...refs.orgs.values()].sort((a, b) => a.order - b.order),
        divisions: [...refs.divisions.values()],
        staff: staff.filter((s) => s.status === "active"),
      });
      const insert = async (model: Model<never>, docs: object[]) => {
        for (let i = 0; i < docs.length; i += BATCH)
          await model.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      };
      await insert(this.m.Doc as never, demo.docs);
      await insert(this.m.Number as never, demo.numbers);
      await insert(this.m.Counter as never, demo.counters);
      this.changed("all");
      const result = {
        seeded: true,
        outgoing: demo.docs.filter((d) => d.kind === "outgoing").length,
        incoming: demo.docs.filter((d) => d.kind === "incoming").length,
        ms: Date.now() - started,
      };
      this.logger.info("Demo documents seeded", result);
      return result;
    },
  },
};
