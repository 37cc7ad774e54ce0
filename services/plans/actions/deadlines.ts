/** Reporting deadlines (HR sets the completion day) and the lists of overdue arrangements and reports. */
import type { ServiceActionsSchema } from "moleculer";
import { audit } from "../../../shared/audit";
import { canAdministerOrg, isCityWide } from "../../../shared/auth";
import type { DeadlineSettings, OverdueReport } from "../../../shared/contracts/plans";
import { ForbiddenError } from "../../../shared/errors";
import { DATE, ID, MONTH, YEAR } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import type { MonthStatusDoc } from "../data/models";
import { arrangementDue, completionDue, monthKey, monthOf, overdueReports, shiftMonth } from "../deadlines";
import type { Ctx, This } from "../types";

export const deadlineActions: ServiceActionsSchema<This> = {
  "deadlines.get": {
    rest: "GET /deadlines",
    params: { $$strict: true, year: { ...YEAR, optional: true }, month: { ...MONTH, optional: true } },
    async handler(
      this: This,
      ctx: Ctx<{ year?: number; month?: number }>,
    ): Promise<DeadlineSettings & { month: string; arrangementDue: string; completionDue: string }> {
      const m =
        ctx.params.year && ctx.params.month
          ? { year: ctx.params.year, month: ctx.params.month }
          : monthOf(this.today());
      const [settings, cal] = await Promise.all([this.deadlines(), this.calendar()]);
      return {
        ...settings,
        month: monthKey(m),
        arrangementDue: arrangementDue(cal, m),
        completionDue: completionDue(cal, settings, m),
      };
    },
  },

  "deadlines.set": {
    rest: "PUT /deadlines",
    auth: rolesOf("plans.setDeadlines"),
    params: {
      $$strict: true,
      completionDueDay: { type: "number", integer: true, min: 1, max: 28, convert: true, optional: true },
      completionRollsToWorkingDay: "boolean|optional",
    },
    async handler(
      this: This,
      ctx: Ctx<{ completionDueDay?: number; completionRollsToWorkingDay?: boolean }>,
    ): Promise<DeadlineSettings> {
      if (!allowed(ctx.meta, "plans.setDeadlines")) throw new ForbiddenError("只有市局人教处可以设置填报时限");
      const current = await this.deadlines();
      const value = {
        completionDueDay: ctx.params.completionDueDay ?? current.completionDueDay,
        completionRollsToWorkingDay: ctx.params.completionRollsToWorkingDay ?? current.completionRollsToWorkingDay,
        arrangementDueLastWorkingDay: true,
      };
      const now = this.now();
      const by = ctx.meta.user?.accountId ?? null;
      await this.written(this.m.Setting, "deadlines", () =>
        this.m.Setting.updateOne(
          { _id: "deadlines" },
          { $set: { value, updatedAt: now, updatedBy: by } },
          { upsert: true },
        ),
      );
      await audit(ctx, "plans.deadlines.set", "success", "settings:deadlines", value);
      return { ...value, updatedAt: now.toISOString(), updatedBy: by };
    },
  },

  "overdue.list": {
    auth: "internal",
    params: { $$strict: true, date: `${DATE}|optional`, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ date?: string; orgId?: string }>): Promise<OverdueReport[]> {
      return this.overdue(ctx.params.date, ctx.params.orgId);
    },
  },

  "overdue.report": {
    rest: "GET /overdue",
    auth: rolesOf("plans.readOverdue"),
    params: { $$strict: true, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<OverdueReport[]> {
      const user = ctx.meta.user!;
      const orgId = ctx.params.orgId ?? (isCityWide(user) ? undefined : user.orgId);
      if (orgId && !isCityWide(user) && orgId !== user.orgId) throw new ForbiddenError("无权查看其他单位");
      const list = await this.overdue(undefined, orgId);
      // A division head without an admin role sees their own division's items.
      return canAdministerOrg(user, orgId ?? user.orgId) ? list : list.filter((r) => r.divisionId === user.divisionId);
    },
  },
};

export const overdueMethods = {
  async overdue(this: This, date: string | undefined, orgId: string | undefined): Promise<OverdueReport[]> {
    const today = date ?? this.today();
    const [{ divisions }, cal, settings] = await Promise.all([this.refs(), this.calendar(), this.deadlines()]);
    const scoped = [...divisions.values()].filter((d) => (!orgId || d.orgId === orgId) && d.kind !== "leadership");
    const current = monthOf(today);
    const keys = Array.from({ length: 5 }, (_, i) => monthKey(shiftMonth(current, 1 - i)));
    const statuses = await Promise.all(keys.map((k) => this.doc<MonthStatusDoc>(this.m.MonthStatus, k)));
    const byKey = new Map(keys.map((k, i) => [k, statuses[i]]));
    return overdueReports({
      today,
      cal,
      settings,
      divisions: scoped,
      submitted: (kind, m) => new Set(Object.keys(byKey.get(monthKey(m))?.[kind] ?? {})),
    });
  },
};
