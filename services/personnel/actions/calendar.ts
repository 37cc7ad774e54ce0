/**
 * The working-day calendar (holidays and 调休): its days, and the overrides HR sets. Personnel owns
 * them; each change is published on `calendar.override.changed` for the services keeping copies
 * (worklog, plans, reminders) and those following it (assessment).
 */
import { audit } from "../../../shared/audit";
import { addDays, WorkCalendar, type DayInfo } from "../../../shared/calendar";
import type { CalendarOverride } from "../../../shared/contracts/calendar";
import { ForbiddenError, ValidationError, fieldError, type FieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { DATE } from "../../../shared/params";
import { may, rolesOf } from "../../../shared/permissions";
import { isIsoDate } from "../../../shared/time";
import type { ServiceActionsSchema } from "moleculer";
import type { Ctx, OverrideDoc, This } from "../personnel.types";

function checkRange(from: string | undefined, to: string | undefined, maxDays?: number): void {
  const errors: FieldError[] = [];
  if (from !== undefined && !isIsoDate(from)) errors.push({ field: "from", message: "日期格式应为 YYYY-MM-DD" });
  if (to !== undefined && !isIsoDate(to)) errors.push({ field: "to", message: "日期格式应为 YYYY-MM-DD" });
  if (!errors.length && from && to && from > to) errors.push({ field: "to", message: "结束日期不能早于开始日期" });
  if (!errors.length && maxDays && from && to && addDays(from, maxDays) <= to)
    errors.push({ field: "to", message: `时间段不能超过 ${maxDays} 天` });
  if (errors.length) throw new ValidationError("日期有误", errors);
}

export const calendarMethods = {
  /** The calendar with the current overrides; read each time (a few docs), so every replica agrees at once. */
  async calendar(this: This) {
    const docs = await this.m.Override.find({}, { working: 1 }).lean<OverrideDoc[]>();
    return new WorkCalendar(new Map(docs.map((d) => [d._id, d.working])));
  },
};

export const calendarActions: ServiceActionsSchema<This> = {
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
      const now = this.clock.now();
      if (working === null) await this.m.Override.deleteOne({ _id: date });
      else
        await this.m.Override.updateOne(
          { _id: date },
          { $set: { working, note, updatedBy: user?.accountId ?? null, updatedAt: now } },
          { upsert: true },
        );
      await audit(ctx, "personnel.calendar.override", "success", `date:${date}`, { working });
      await publish(this.broker, "calendar.override.changed", { date, working, note, at: now.toISOString() });
      return { date, working, day: (await this.calendar()).day(date) };
    },
  },
};
