/**
 * Excel import and export of staff records and attendance months (the workbooks are built and
 * checked in ../excel.ts).
 */
import type { ServiceActionsSchema } from "moleculer";
import type { ImportJob } from "../../../shared/contracts/jobs";
import type { AttendanceImportResult, Org, StaffImportJob } from "../../../shared/contracts/personnel";
import { audit } from "../../../shared/audit";
import { fieldError } from "../../../shared/errors";
import { XLSX_MIME, contentDisposition } from "../../../shared/report-table";
import { importJobAction, startImportJob } from "../../../shared/store/import-jobs";
import { decodeUpload, importError, readSheet } from "../../../shared/xlsx";
import { ID } from "../../../shared/params";
import { rolesOf } from "../../../shared/permissions";
import { planAttendanceImport } from "../attendance-import";
import { STAFF_IMPORT_KEY, attendanceImportKey } from "../data/imports";
import { loadAttendanceMonth } from "../data/attendance";
import { attendanceWorkbook, staffWorkbook, validateAttendanceRows, validateStaffRows } from "../excel";
import type { AttendanceDoc, Ctx, PostDoc, StaffDoc, This } from "../personnel.types";
import { planStaffImport } from "../staff-import";
import { MONTH_VIEW_PARAMS, YEAR_MONTH } from "./attendance";

export const excelActions: ServiceActionsSchema<This> = {
  "staff.export": {
    rest: "GET /exports/staff",
    auth: rolesOf("staff.administer"),
    params: { $$strict: true, orgId: `${ID}|optional`, divisionId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string; divisionId?: string }>): Promise<Buffer> {
      const division = ctx.params.divisionId ? this.getDivision(ctx.params.divisionId) : undefined;
      const orgIds = this.scopeOrgs(ctx, division?.orgId ?? ctx.params.orgId);
      const filter: Record<string, unknown> = orgIds ? { orgId: { $in: orgIds } } : {};
      if (division) filter.divisionId = division.id;
      const [staff, posts] = await Promise.all([
        this.m.Staff.find(filter).sort({ orgId: 1, divisionId: 1, _id: 1 }).lean<StaffDoc[]>(),
        this.m.Post.find(orgIds ? { orgId: { $in: orgIds } } : {}, { title: 1 }).lean<PostDoc[]>(),
      ]);
      const postTitles = new Map(posts.map((p) => [p._id, p.title]));
      const buf = await staffWorkbook(staff, {
        today: this.today(),
        orgName: (id) => this.orgs.get(id)?.name ?? id,
        divisionName: (id) => this.divisions.get(id)?.name ?? id,
        postTitle: (id) => (id ? (postTitles.get(id) ?? "") : ""),
      });
      const org = orgIds?.length === 1 ? this.orgs.get(orgIds[0])?.name : "全市";
      ctx.meta.$responseType = XLSX_MIME;
      ctx.meta.$responseHeaders = {
        "Content-Disposition": contentDisposition(`${org ?? ""}${division?.name ?? ""}干部职工名册`, "xlsx"),
      };
      await audit(ctx, "personnel.staff.export", "success", `org:${orgIds?.join(",") ?? "all"}`, {
        rows: staff.length,
      });
      return buf;
    },
  },

  "staff.import": {
    rest: "POST /imports/staff",
    auth: rolesOf("staff.administer"),
    params: { $$strict: true, file: "string|min:1|max:14000000" },
    async handler(this: This, ctx: Ctx<{ file: string }>): Promise<{ job: StaffImportJob }> {
      const sheet = await readSheet(decodeUpload(ctx.params.file));
      const stored = new Map((await this.m.Staff.find({}).lean<StaffDoc[]>()).map((s) => [s._id, s]));
      const orgByKey = new Map<string, Org>();
      for (const o of this.orgs.values()) orgByKey.set(o.id, o).set(o.name, o).set(o.shortName, o);
      const { rows, errors } = validateStaffRows(sheet.headers, sheet.rows, {
        today: this.today(),
        org: (k) => orgByKey.get(k),
        division: (orgId, k) =>
          [...this.divisions.values()].find((d) => d.orgId === orgId && (d.id === k || d.name === k)),
        existingOrg: (id) => stored.get(id)?.orgId,
        mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
      });
      if (errors.length) throw importError(errors);
      return (await startImportJob(
        this.imports,
        STAFF_IMPORT_KEY,
        ctx,
        "已有一个人员导入正在进行，请等它完成后再导入",
        async () => ({
          kind: "staff" as const,
          plan: planStaffImport(rows, stored, await this.reserveStaffIds(rows.filter((r) => !r.id).length)),
          ctx,
        }),
      )) as { job: StaffImportJob };
    },
  },

  ...importJobAction(rolesOf("staff.administer")),

  "attendance.export": {
    rest: "GET /exports/attendance",
    params: MONTH_VIEW_PARAMS,
    async handler(
      this: This,
      ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
    ): Promise<Buffer> {
      const { year, month } = ctx.params;
      const { scope, staff, byStaff } = await loadAttendanceMonth(this, ctx);
      const buf = await attendanceWorkbook(
        await this.calendar(),
        year,
        month,
        staff.map((s) => ({
          staffId: s._id,
          name: s.name,
          divisionName: this.divisions.get(s.divisionId)?.name ?? s.divisionId,
          days: byStaff.get(s._id) ?? {},
        })),
      );
      const where = scope.divisionId
        ? `${this.orgs.get(this.divisions.get(scope.divisionId)?.orgId ?? "")?.name ?? ""}${this.divisions.get(scope.divisionId)?.name ?? ""}`
        : (this.orgs.get(scope.orgId ?? "")?.name ?? "");
      ctx.meta.$responseType = XLSX_MIME;
      ctx.meta.$responseHeaders = {
        "Content-Disposition": contentDisposition(`${where}${year}年${month}月考勤表`, "xlsx"),
      };
      return buf;
    },
  },

  "attendance.import": {
    rest: "POST /imports/attendance",
    auth: rolesOf("staff.administer"),
    params: {
      $$strict: true,
      file: "string|min:1|max:14000000",
      ...YEAR_MONTH,
    },
    async handler(
      this: This,
      ctx: Ctx<{ file: string; year: number; month: number }>,
    ): Promise<{ job: ImportJob<AttendanceImportResult> }> {
      const { year, month } = ctx.params;
      if (!this.attendanceWritable(year, month)) throw fieldError("year", "只能导入上一年至下一年的考勤");
      const sheet = await readSheet(decodeUpload(ctx.params.file));
      const [staff, stored] = await Promise.all([
        this.m.Staff.find({}, { orgId: 1, divisionId: 1 }).lean<StaffDoc[]>(),
        this.attendance(year, month).find({}, { days: 1 }).lean<AttendanceDoc[]>(),
      ]);
      const byId = new Map(staff.map((s) => [s._id, { orgId: s.orgId, divisionId: s.divisionId }]));
      const { entries, errors } = validateAttendanceRows(year, month, sheet.headers, sheet.rows, {
        staff: (id) => byId.get(id),
        mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
      });
      if (errors.length) throw importError(errors);
      const days = new Map(stored.map((d) => [d._id, d.days ?? {}]));
      return (await startImportJob(
        this.imports,
        attendanceImportKey(year, month),
        ctx,
        `${year}年${month}月的考勤正在导入，请等它完成后再导入`,
        () => ({
          kind: "attendance" as const,
          plan: planAttendanceImport(year, month, sheet.rows.length, entries, days),
          ctx,
        }),
      )) as { job: ImportJob<AttendanceImportResult> };
    },
  },
};
