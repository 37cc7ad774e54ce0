/** Policies and calendar: each organisation's log policy, and the working-day overrides (调休). */
import { audit } from "../../../shared/audit";
import { CITY_ORG_ID } from "../../../shared/auth";
import { addDays, type DayInfo } from "../../../shared/calendar";
import {
  PERSONAL_RULES,
  type CalendarOverride,
  type LogPolicy,
  type PolicyInput,
} from "../../../shared/contracts/worklog";
import { ForbiddenError, NotFoundError, ValidationError, fieldError, type FieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { DATE, ID } from "../../../shared/params";
import { allowed, may, rolesOf } from "../../../shared/permissions";
import { isIsoDate } from "../../../shared/time";
import type { OverrideDoc, StaffCopyDoc } from "../data/models";
import { isDeadline } from "../rules";
import type { Ctx, ServiceActionsSchema, This } from "../types";
import { checkRange } from "./range";

export const policyActions: ServiceActionsSchema<This> = {
  "policies.list": {
    rest: "GET /policies",
    params: { $$strict: true },
    async handler(this: This): Promise<LogPolicy[]> {
      return [...(await this.policies()).values()].sort((a, b) =>
        a.orgId === CITY_ORG_ID ? -1 : b.orgId === CITY_ORG_ID ? 1 : a.orgId.localeCompare(b.orgId),
      );
    },
  },

  "policies.get": {
    rest: "GET /policies/:orgId",
    params: { $$strict: true, orgId: ID },
    async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<LogPolicy> {
      const orgs = await this.orgs();
      if (orgs.length && !orgs.some((o) => o._id === ctx.params.orgId))
        throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      return this.policyOf(ctx.params.orgId);
    },
  },

  "policies.set": {
    rest: "PUT /policies/:orgId",
    auth: rolesOf("worklog.setPolicy"),
    params: {
      $$strict: true,
      orgId: ID,
      personal: { type: "enum", values: PERSONAL_RULES, optional: true },
      orgLogWeekly: "boolean|optional",
      orgLogAuthors: { type: "array", optional: true, max: 20, unique: true, items: "string|min:1|max:64" },
      deadline: "string|optional|length:5",
      graceMinutes: "number|optional|integer|min:0|max:1440",
    },
    async handler(this: This, ctx: Ctx<PolicyInput & { orgId: string }>): Promise<LogPolicy> {
      const { orgId, ...input } = ctx.params;
      const orgs = await this.orgs();
      if (orgs.length && !orgs.some((o) => o._id === orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      if (!allowed(ctx.meta, "worklog.setPolicy", { orgId })) throw new ForbiddenError("只能设置本单位的日志制度");
      const errors: FieldError[] = [];
      if (input.deadline !== undefined && !isDeadline(input.deadline))
        errors.push({ field: "deadline", message: "截止时间格式应为 HH:MM" });
      if (input.orgLogAuthors?.length) {
        const found = await this.m.Staff.find({ _id: { $in: input.orgLogAuthors }, orgId }, { _id: 1 }).lean<
          StaffCopyDoc[]
        >();
        const known = new Set(found.map((s) => s._id));
        const unknown = input.orgLogAuthors.filter((id) => !known.has(id));
        if (unknown.length) errors.push({ field: "orgLogAuthors", message: `不是本单位人员：${unknown.join("、")}` });
      }
      if (errors.length) throw new ValidationError("日志制度有误", errors);
      const current = await this.policyOf(orgId);
      const next = { ...current, ...input };
      await this.m.Policy.updateOne(
        { _id: orgId },
        {
          $set: {
            personal: next.personal,
            orgLogWeekly: next.orgLogWeekly,
            orgLogAuthors: next.orgLogAuthors,
            deadline: next.deadline,
            graceMinutes: next.graceMinutes,
            updatedAt: this.now(),
            updatedBy: ctx.meta.user?.accountId ?? null,
          },
        },
        { upsert: true },
      );
      this.invalidate(["policies"]);
      await audit(ctx, "worklog.policy.set", "success", `org:${orgId}`, { fields: Object.keys(input) });
      return this.policyOf(orgId);
    },
  },

  "calendar.days": {
    rest: "GET /calendar",
    params: { $$strict: true, from: DATE, to: DATE },
    async handler(this: This, ctx: Ctx<{ from: string; to: string }>): Promise<DayInfo[]> {
      checkRange(ctx.params.from, ctx.params.to, 366);
      const cal = await this.calendar();
      const out: DayInfo[] = [];
      for (let d = ctx.params.from; d <= ctx.params.to; d = addDays(d, 1)) out.push(cal.day(d));
      return out;
    },
  },

  "calendar.overrides.list": {
    rest: "GET /calendar/overrides",
    params: { $$strict: true, from: `${DATE}|optional`, to: `${DATE}|optional` },
    async handler(this: This, ctx: Ctx<{ from?: string; to?: string }>): Promise<CalendarOverride[]> {
      checkRange(ctx.params.from, ctx.params.to);
      const range: Record<string, string> = {};
      if (ctx.params.from) range.$gte = ctx.params.from;
      if (ctx.params.to) range.$lte = ctx.params.to;
      const docs = await this.m.Override.find(Object.keys(range).length ? { _id: range } : {})
        .sort({ _id: 1 })
        .lean<OverrideDoc[]>();
      return docs.map((d) => ({
        date: d._id,
        working: d.working,
        note: d.note,
        updatedBy: d.updatedBy,
        updatedAt: new Date(d.updatedAt).toISOString(),
      }));
    },
  },

  "calendar.overrides.set": {
    rest: "PUT /calendar/overrides/:date",
    auth: rolesOf("calendar.setOverrides"),
    params: {
      $$strict: true,
      date: DATE,
      /** true: a working day, false: a day off, null: remove the override */
      working: { type: "boolean", nullable: true },
      note: "string|optional|trim|max:100",
    },
    async handler(
      this: This,
      ctx: Ctx<{ date: string; working: boolean | null; note?: string }>,
    ): Promise<{ date: string; working: boolean | null; day: DayInfo }> {
      const user = ctx.meta.user;
      if (user && !may(user, "calendar.setOverrides"))
        throw new ForbiddenError("工作日调整只能由系统管理员或市局人教处设置");
      const { date, working, note = "" } = ctx.params;
      if (!isIsoDate(date)) throw fieldError("date", "日期格式应为 YYYY-MM-DD");
      const now = this.now();
      if (working === null) await this.m.Override.deleteOne({ _id: date });
      else
        await this.m.Override.updateOne(
          { _id: date },
          { $set: { working, note, updatedBy: user?.accountId ?? null, updatedAt: now } },
          { upsert: true },
        );
      this.invalidate(["calendar"]);
      await audit(ctx, "worklog.calendar.override", "success", `date:${date}`, { working });
      await publish(this.broker, "calendar.override.changed", { date, working, note, at: now.toISOString() });
      return { date, working, day: (await this.calendar()).day(date) };
    },
  },
};
