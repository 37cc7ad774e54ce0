/** Attendance: entering days, a person's own month, the month views and the internal reads. */
import type { ServiceActionsSchema } from "moleculer";
import { may } from "../../../shared/permissions";
import {
  ATTENDANCE_STATUSES,
  type AttendanceMonthResult,
  type AttendanceStatus,
  type StaffMonthDays,
} from "../../../shared/contracts/personnel";
import { audit } from "../../../shared/audit";
import { ForbiddenError, NotFoundError, ValidationError, fieldError, type FieldError } from "../../../shared/errors";
import { DATE, ID, MONTH, YEAR } from "../../../shared/params";
import { isIsoDate } from "../../../shared/time";
import { splitDate, workingDaysOfMonth } from "../calendar";
import { loadAttendanceMonth } from "../data/attendance";
import type { AttendanceDoc, Ctx, StaffDoc, This } from "../personnel.types";
import { addCounts, countDays, emptyCounts } from "../stats";

export const YEAR_MONTH = { year: YEAR, month: MONTH };

/** The params of a division's or organisation's attendance month (view and export). */
export const MONTH_VIEW_PARAMS = {
  $$strict: true,
  ...YEAR_MONTH,
  orgId: `${ID}|optional`,
  divisionId: `${ID}|optional`,
};

export const attendanceActions: ServiceActionsSchema<This> = {
  "attendance.set": {
    rest: "POST /attendance",
    params: {
      $$strict: true,
      divisionId: ID,
      entries: {
        type: "array",
        min: 1,
        max: 2000,
        items: {
          type: "object",
          strict: true,
          props: { staffId: ID, date: DATE, status: { type: "enum", values: ATTENDANCE_STATUSES } },
        },
      },
    },
    async handler(
      this: This,
      ctx: Ctx<{ divisionId: string; entries: { staffId: string; date: string; status: AttendanceStatus }[] }>,
    ): Promise<{ written: number }> {
      const { divisionId, entries } = ctx.params;
      const division = this.getDivision(divisionId);
      if (
        !ctx.meta.system &&
        !(ctx.meta.user && may(ctx.meta.user, "attendance.enter", { orgId: division.orgId, divisionId: division.id }))
      )
        throw new ForbiddenError("只有本处室负责人或单位管理员可以录入考勤");
      const members = await this.m.Staff.find({ divisionId }, { _id: 1 }).lean<StaffDoc[]>();
      const memberIds = new Set(members.map((s) => s._id));
      const errors: FieldError[] = [];
      entries.forEach((e, i) => {
        if (!memberIds.has(e.staffId)) errors.push({ field: `entries[${i}].staffId`, message: "该人员不在本处室" });
        if (!isIsoDate(e.date)) errors.push({ field: `entries[${i}].date`, message: "日期应为 YYYY-MM-DD" });
        else if (!this.attendanceWritable(splitDate(e.date).year, splitDate(e.date).month))
          errors.push({ field: `entries[${i}].date`, message: "只能录入上一年至下一年的考勤" });
      });
      if (errors.length) throw new ValidationError("考勤数据有误", errors);
      await this.writeAttendance(entries.map((e) => ({ ...e, orgId: division.orgId, divisionId })));
      await audit(ctx, "personnel.attendance.set", "success", `division:${divisionId}`, { entries: entries.length });
      return { written: entries.length };
    },
  },

  /** A person's own month: every staff member may read it (My page), whatever their role. */
  "attendance.mine": {
    rest: "GET /attendance/mine",
    params: { $$strict: true, ...YEAR_MONTH },
    async handler(
      this: This,
      ctx: Ctx<{ year: number; month: number }>,
    ): Promise<{
      year: number;
      month: number;
      staffId: string;
      workingDays: string[];
      days: Record<string, AttendanceStatus>;
      counts: ReturnType<typeof emptyCounts>;
    }> {
      const { year, month } = ctx.params;
      const staffId = ctx.meta.user!.staffId;
      if (!staffId) throw new NotFoundError("STAFF_NOT_FOUND", "该账号未关联干部信息");
      // The month's collection is keyed by staff id: one _id lookup.
      const doc = await this.attendance(year, month).findById(staffId).lean<AttendanceDoc>();
      const days = doc?.days ?? {};
      const workingDays = workingDaysOfMonth(await this.calendar(), year, month, this.today());
      return { year, month, staffId, workingDays, days, counts: countDays(days, workingDays) };
    },
  },

  "attendance.month": {
    rest: "GET /attendance/month",
    params: MONTH_VIEW_PARAMS,
    async handler(
      this: This,
      ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
    ): Promise<AttendanceMonthResult> {
      const { year, month } = ctx.params;
      const { staff, byStaff } = await loadAttendanceMonth(this, ctx);
      const workingDays = workingDaysOfMonth(await this.calendar(), year, month, this.today());
      const people = staff.map((s) => {
        const days = byStaff.get(s._id) ?? {};
        return { staffId: s._id, name: s.name, divisionId: s.divisionId, days, counts: countDays(days, workingDays) };
      });
      const divisions = new Map<
        string,
        { divisionId: string; people: number; counts: ReturnType<typeof emptyCounts> }
      >();
      for (const p of people) {
        const d = divisions.get(p.divisionId) ?? { divisionId: p.divisionId, people: 0, counts: emptyCounts() };
        d.people += 1;
        addCounts(d.counts, p.counts);
        divisions.set(p.divisionId, d);
      }
      return { year, month, workingDays, people, divisions: [...divisions.values()] };
    },
  },

  /** Every person's recorded days of a month in one read, for services rebuilding their counters. */
  "attendance.monthAll": {
    auth: "internal",
    params: { $$strict: true, ...YEAR_MONTH },
    async handler(this: This, ctx: Ctx<{ year: number; month: number }>): Promise<StaffMonthDays[]> {
      const model = this.attendance(ctx.params.year, ctx.params.month);
      const docs = await model.find({}, { staffId: 1, days: 1 }).lean<AttendanceDoc[]>();
      return docs.map((d) => ({ staffId: d.staffId, days: d.days ?? {} }));
    },
  },

  "attendance.today": {
    auth: "internal",
    params: { $$strict: true, date: `${DATE}|optional`, orgId: `${ID}|optional` },
    async handler(
      this: This,
      ctx: Ctx<{ date?: string; orgId?: string }>,
    ): Promise<{ date: string; statuses: Record<string, AttendanceStatus> }> {
      const date = ctx.params.date ?? this.today();
      if (!isIsoDate(date)) throw fieldError("date", "日期应为 YYYY-MM-DD");
      const statuses = await this.statusesOn(date, ctx.params.orgId ? [ctx.params.orgId] : null);
      return { date, statuses: Object.fromEntries(statuses) };
    },
  },
};
