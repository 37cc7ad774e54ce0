/** Demo data: a year of reports and publicity (demo-data.ts), their facts published as the live service would. */
import type { Service } from "moleculer";
import type { Model } from "mongoose";
import { call } from "../../../shared/contracts/actions";
import { DEFAULT_POINTS, type InfoSeedResult } from "../../../shared/contracts/info";
import { emptyModels } from "../../../shared/db";
import { generateInfoDemo } from "../demo-data";
import type { Ctx, This } from "../types";

const BATCH = 1000;

export const demoActions: Service.ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<InfoSeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Info.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      await emptyModels(Object.values(this.m));
      this.refsCache = null;
      const meta = { meta: { system: true } };
      const [refs, directory, people] = await Promise.all([
        this.refs(),
        this.directory({}),
        call(this.broker, "personnel.demo.people", {}, meta),
      ]);
      const demo = generateInfoDemo({
        now: this.now(),
        orgs: [...refs.orgs.values()],
        divisions: [...refs.divisions.values()],
        staff: directory.filter((s) => s.status === "active"),
        people,
        points: DEFAULT_POINTS,
      });
      const insert = async (model: Model<never>, docs: object[]) => {
        for (let i = 0; i < docs.length; i += BATCH)
          await model.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      };
      await insert(this.m.Info as never, demo.reports);
      await insert(this.m.Publicity as never, demo.publicity);
      const facts = [...demo.reports, ...demo.publicity].flatMap((d) => (d.fact ? [d.fact] : []));
      for (let i = 0; i < facts.length; i += 50)
        await Promise.all(facts.slice(i, i + 50).map((f) => this.publishFact(f)));
      this.changed("all");
      const result: InfoSeedResult = {
        seeded: true,
        reports: demo.reports.length,
        adopted: demo.reports.filter((r) => r.status === "adopted").length,
        publicity: demo.publicity.length,
        verified: demo.publicity.filter((p) => p.status === "verified").length,
        facts: facts.length,
        ms: Date.now() - started,
      };
      this.logger.info("Demo info seeded", result);
      return result;
    },
  },
};
