/** What the pages show: a person's, a division's and an organisation's plans as of a day (internal, for pages). */
import type { ServiceActionsSchema } from "moleculer";
import type { DivisionPlans, OrgPlans, PersonPlans, TaskView } from "../../../shared/contracts/plans";
import { NotFoundError } from "../../../shared/errors";
import { DATE, ID } from "../../../shared/params";
import { yearPlanId, type MonthStatusDoc, type YearPlanDoc } from "../data/models";
import { monthKey, monthOf, shiftMonth } from "../deadlines";
import { summarize, taskAs } from "../matrix";
import type { Ctx, This } from "../types";

export const pageActions: ServiceActionsSchema<This> = {
  "summary.person": {
    params: { $$strict: true, staffId: ID, date: `${DATE}|optional` },
    async handler(this: This, ctx: Ctx<{ staffId: string; date?: string }>): Promise<PersonPlans> {
      const today = ctx.params.date ?? this.today();
      const { staffId } = ctx.params;
      const { m, plan, thisMonth, lastMonth, thisView, lastView } = await this.planMonths("person", staffId, today);
      const tasks = (plan?.tasks ?? []).map((t) => {
        const v = this.view(t);
        const own = v.parts.find((p) => p.responsibleStaffId === staffId);
        return t.responsibleStaffId === staffId || !own ? v : taskAs(v, own.divisionId);
      });
      return {
        staffId,
        year: m.year,
        month: m.month,
        tasks,
        summary: summarize(tasks, m.year, today),
        thisMonth: thisMonth ? thisView : null,
        lastMonth: lastMonth ? lastView : null,
      };
    },
  },

  "summary.division": {
    params: { $$strict: true, divisionId: ID, date: `${DATE}|optional` },
    async handler(this: This, ctx: Ctx<{ divisionId: string; date?: string }>): Promise<DivisionPlans> {
      const { divisionId } = ctx.params;
      await this.division(divisionId);
      const today = ctx.params.date ?? this.today();
      const { m, plan, thisView, lastView } = await this.planMonths("division", divisionId, today);
      const tasks = (plan?.tasks ?? []).map((t) => taskAs(this.view(t), divisionId));
      return {
        divisionId,
        year: m.year,
        month: m.month,
        plan: {
          divisionId,
          year: m.year,
          leading: tasks.filter((t) => t.leadDivisionId === divisionId),
          cooperating: tasks.filter((t) => t.leadDivisionId !== divisionId),
        },
        summary: summarize(tasks, m.year, today, divisionId),
        thisMonth: thisView,
        lastMonth: lastView,
      };
    },
  },

  "summary.org": {
    params: { $$strict: true, orgId: ID, date: `${DATE}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId: string; date?: string }>): Promise<OrgPlans> {
      const { orgId } = ctx.params;
      const { divisions, orgs } = await this.refs();
      if (!orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      const today = ctx.params.date ?? this.today();
      const m = monthOf(today);
      const last = shiftMonth(m, -1);
      const own = [...divisions.values()].filter((d) => d.orgId === orgId).sort((a, b) => a.order - b.order);
      const [plans, thisStatus, lastStatus] = await Promise.all([
        Promise.all(own.map((d) => this.doc<YearPlanDoc>(this.m.YearPlan, yearPlanId("division", d.id, m.year)))),
        this.doc<MonthStatusDoc>(this.m.MonthStatus, monthKey(m)),
        this.doc<MonthStatusDoc>(this.m.MonthStatus, monthKey(last)),
      ]);
      const byTask = new Map<string, TaskView>();
      const rows = own.map((d, i) => {
        const tasks = (plans[i]?.tasks ?? []).map((t) => this.view(t));
        for (const t of tasks) if (t.leadOrgId === orgId) byTask.set(t.id, t);
        return {
          divisionId: d.id,
          ...summarize(tasks, m.year, today, d.id),
          arrangementSubmitted: !!thisStatus?.arrangement?.[d.id],
          completionSubmitted: !!lastStatus?.completion?.[d.id],
        };
      });
      return {
        orgId,
        year: m.year,
        month: m.month,
        summary: summarize([...byTask.values()], m.year, today),
        divisions: rows,
      };
    },
  },
};
