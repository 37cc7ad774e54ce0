/** Demo data: the generated year of tasks, months and evidence, and a few real logs linked to tasks. */
import type { ServiceActionsSchema } from "moleculer";
import { CITY_ORG_ID, type Role } from "../../../shared/auth";
import { addDays } from "../../../shared/calendar";
import { call } from "../../../shared/contracts/actions";
import type { DirectoryEntry } from "../../../shared/contracts/personnel";
import type { PlansSeedResult } from "../../../shared/contracts/plans";
import { emptyModels } from "../../../shared/db";
import type { TaskDoc } from "../data/models";
import { DEFAULT_DEADLINES } from "../deadlines";
import { generatePlansDemo } from "../demo-data";
import type { Ctx, This } from "../types";

const BATCH = 1000;

export const demoActions: ServiceActionsSchema<This> = {
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<PlansSeedResult> {
      const started = Date.now();
      const hasData = (await this.m.Task.countDocuments({}).limit(1)) > 0;
      if (hasData && !ctx.params.reset) return { seeded: false };
      // The calendar copy follows personnel's overrides, which a demo reset keeps.
      await emptyModels(Object.values(this.m).filter((m) => m !== this.m.Override));
      this.refsCache = null;
      this.calendarCache = null;
      this.docs.clear();
      const meta = { meta: { system: true } };
      const [{ divisions, orgs }, directory, people, cal] = await Promise.all([
        this.refs(),
        call(this.broker, "personnel.staff.directory", {}, meta),
        call(this.broker, "personnel.demo.people", {}, meta),
        this.calendar(),
      ]);
      const demo = generatePlansDemo({
        today: this.today(),
        divisions: [...divisions.values()],
        orgs: [...orgs.values()],
        staff: directory,
        people: Object.values(people),
        logs: [],
        cal,
        settings: DEFAULT_DEADLINES,
      });
      const insert = async (coll: { insertMany(d: never[], o: object): Promise<unknown> }, docs: object[]) => {
        for (let i = 0; i < docs.length; i += BATCH)
          await coll.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
      };
      await insert(this.m.Task.collection, demo.tasks);
      await insert(this.m.YearPlan.collection, demo.yearPlans);
      await insert(this.m.Month.collection, demo.months);
      await insert(this.m.MonthStatus.collection, demo.monthStatus);
      await insert(this.m.Evidence.collection, demo.evidence);
      await insert(this.m.LogLink.collection, demo.links);
      await this.preload();
      await this.broker.broadcast("plans.cache.changed", { keys: [], reset: true }, { groups: ["plans"] });
      const evidenceLinks = await this.linkDemoLogs(demo.tasks, directory);
      const result: PlansSeedResult = {
        seeded: true,
        tasks: demo.tasks.length,
        sharedTasks: demo.tasks.filter((t) => t.cooperatingDivisionIds.length).length,
        months: demo.months.length,
        evidenceLinks,
        ms: Date.now() - started,
      };
      this.logger.info("Demo plans seeded", result);
      return result;
    },
  },
};

export const demoMethods = {
  /**
   * Demo evidence: members of the city divisions write a few logs this week through worklog's own
   * action, each linked to a task of their division; the links reach plans over the log channels
   * like any real log's. (The 32,000 seeded logs carry no task ids: linking them needs worklog's
   * demo generator to know the task ids, see the plans issue note.)
   */
  async linkDemoLogs(this: This, tasks: TaskDoc[], staff: DirectoryEntry[]): Promise<number> {
    const cal = await this.calendar();
    const today = this.today();
    const days = cal.workingDays(addDays(today, -6), today).slice(-3);
    const month = Number(today.slice(5, 7));
    let linked = 0;
    for (const kind of ["budget", "treasury", "office", "hr", "assets", "debt", "it", "general"]) {
      const divisionId = `${CITY_ORG_ID}-${kind}`;
      const led = tasks.filter((t) => t.leadDivisionId === divisionId);
      const current = led.filter((t) => Number(t.dueDate.slice(5, 7)) >= month);
      const own = current.length ? current : led;
      const writers = staff.filter((s) => s.divisionId === divisionId && s.status === "active").slice(0, 3);
      if (!own.length) continue;
      for (const [i, writer] of writers.entries())
        for (const [j, date] of days.entries()) {
          const task = own[(i + j) % own.length];
          const user = {
            accountId: `demo-${writer.id}`,
            sessionId: "demo-seed",
            staffId: writer.id,
            name: writer.name,
            orgId: writer.orgId,
            divisionId: writer.divisionId,
            roles: ["staff" as Role],
          };
          await call(
            this.broker,
            "worklog.logs.create",
            {
              date,
              done: `推进“${task.title}”：梳理进度台账，形成阶段小结\n对照年度目标（${task.target.text}）查找差距`,
              thoughts: "对照任务节点倒排工期，问题当日梳理、当日协调。",
              taskIds: [task._id],
            },
            { meta: { user } },
          ).then(
            () => (linked += 1),
            (err: Error) => this.logger.warn("Demo plans: a linked log was not written:", err.message),
          );
        }
    }
    return linked;
  },
};
