/** The deterministic demo data: seeding (internal, by the seed script) and who is who in it. */
import type { ServiceActionsSchema } from "moleculer";
import type { DemoPeople, SeedResult } from "../../../shared/contracts/personnel";
import { emptyModels } from "../../../shared/db";
import { BATCH } from "../data/store";
import { DEMO_SEED, generateAttendance, generateDemo } from "../demo-data";
import { DIVISIONS, ORGS } from "../orgs";
import type { AttendanceDoc, Ctx, This } from "../personnel.types";

export const demoActions: ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<SeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Staff.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      const today = this.today();
      if (hasData || ctx.params.reset) {
        // The calendar's overrides are HR's, not demo data: they stay (and other services' copies with them).
        await emptyModels(Object.values(this.m).filter((m) => m !== this.m.Override));
        await this.dropAttendance();
        // Like emptyModels for the other collections: the start-up months come back with their indexes.
        await this.ensureAttendanceMonths();
      }
      await this.ensureOrgs();
      await this.loadRefs();
      const demo = generateDemo(today);
      for (let i = 0; i < demo.staff.length; i += BATCH)
        await this.m.Staff.collection.insertMany(demo.staff.slice(i, i + BATCH) as never[], { ordered: false });
      for (let i = 0; i < demo.posts.length; i += BATCH)
        await this.m.Post.collection.insertMany(demo.posts.slice(i, i + BATCH) as never[], { ordered: false });
      await this.m.Counter.updateOne({ _id: "staff" }, { $set: { seq: demo.staff.length } }, { upsert: true });
      // Grouped by month collection, written in batches of ~1000.
      const batches = new Map<string, AttendanceDoc[]>();
      let attendanceDocs = 0;
      const flush = async (docs: AttendanceDoc[]): Promise<void> => {
        const model = await this.attendanceForWrite(docs[0].year, docs[0].month);
        await model.collection.insertMany(docs as never[], { ordered: false });
        attendanceDocs += docs.length;
      };
      for (const doc of generateAttendance(demo.staff, today, DEMO_SEED, await this.calendar())) {
        const key = `${doc.year}-${doc.month}`;
        const batch = batches.get(key) ?? [];
        batch.push(doc);
        batches.set(key, batch);
        if (batch.length === BATCH) {
          await flush(batch);
          batches.set(key, []);
        }
      }
      for (const batch of batches.values()) if (batch.length) await flush(batch);
      const result = {
        seeded: true,
        orgs: ORGS.length,
        divisions: DIVISIONS.length,
        posts: demo.posts.length,
        staff: demo.staff.length,
        attendanceDocs,
        ms: Date.now() - started,
      };
      this.logger.info("Demo data seeded", result);
      return result;
    },
  },

  "demo.people": {
    auth: "internal",
    params: { $$strict: true },
    async handler(this: This): Promise<DemoPeople> {
      return Object.fromEntries(generateDemo(this.today()).people.map((p) => [p.role, p.staffId])) as DemoPeople;
    },
  },
};
