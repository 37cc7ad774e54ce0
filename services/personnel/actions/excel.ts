/**
 * Excel import and export of staff records and attendance months (the workbooks are built and
 * checked in ../excel.ts).
 */
import type { Org } from "../../../shared/contracts/personnel";
import { audit } from "../../../shared/audit";
import { ID } from "../../../shared/params";
import { XLSX_MIME, contentDisposition } from "../../../shared/report-table";
import { decodeUpload, importError, readSheet } from "../../../shared/xlsx";
import { ADMIN_ROLES } from "../access";
import { loadAttendanceMonth } from "../data/attendance";
import { BATCH } from "../data/store";
import { attendanceWorkbook, staffWorkbook, validateAttendanceRows, validateStaffRows } from "../excel";
import type { Ctx, PostDoc, StaffDoc, ServiceActionsSchema, This } from "../personnel.types";
import { nameKeys } from "../search";
import { MONTH_VIEW_PARAMS, YEAR_MONTH } from "./attendance";

export const excelActions: ServiceActionsSchema<This> = {
  "staff.export": {
    rest: "GET /exports/staff",
    auth: { roles: ADMIN_ROLES },
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
    auth: { roles: ADMIN_ROLES },
    params: { $$strict: true, file: "string|min:1|max:14000000" },
    async handler(this: This, ctx: Ctx<{ file: string }>): Promise<{ created: number; updated: number }> {
      const sheet = await readSheet(decodeUpload(ctx.params.file));
      const existing = await this.m.Staff.find({}, { orgId: 1 }).lean<Pick<StaffDoc, "_id" | "orgId">[]>();
      const existingOrg = new Map(existing.map((s) => [s._id, s.orgId]));
      const orgByKey = new Map<string, Org>();
      for (const o of this.orgs.values()) orgByKey.set(o.id, o).set(o.name, o).set(o.shortName, o);
      const { rows, errors } = validateStaffRows(sheet.headers, sheet.rows, {
        today: this.today(),
        org: (k) => orgByKey.get(k),
        division: (orgId, k) =>
          [...this.divisions.values()].find((d) => d.orgId === orgId && (d.id === k || d.name === k)),
        existingOrg: (id) => existingOrg.get(id),
        mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
      });
      if (errors.length) throw importError(errors);

      const created: StaffDoc[] = [];
      const updates: { id: string; set: Partial<StaffDoc> }[] = [];
      const newIds = await this.reserveStaffIds(rows.filter((r) => !r.id).length);
      for (const r of rows) {
        const fields = {
          name: r.name,
          ...nameKeys(r.name),
          gender: r.gender,
          birthDate: r.birthDate,
          education: r.education,
          politicalStatus: r.politicalStatus,
          title: r.title,
          orgId: r.orgId,
          divisionId: r.divisionId,
          phone: r.phone,
          hireDate: r.hireDate,
          status: r.status,
        };
        if (r.id) updates.push({ id: r.id, set: fields });
        else created.push({ _id: newIds[created.length], postId: null, version: 1, ...fields });
      }
      for (let i = 0; i < created.length; i += BATCH)
        await this.m.Staff.insertMany(created.slice(i, i + BATCH), { ordered: false });
      for (let i = 0; i < updates.length; i += BATCH)
        await this.m.Staff.bulkWrite(
          updates
            .slice(i, i + BATCH)
            .map((u) => ({ updateOne: { filter: { _id: u.id }, update: { $set: u.set, $inc: { version: 1 } } } })),
        );
      await audit(ctx, "personnel.staff.import", "success", null, {
        created: created.length,
        updated: updates.length,
      });
      const touched = await this.m.Staff.find({
        _id: { $in: [...created.map((c) => c._id), ...updates.map((u) => u.id)] },
      }).lean<StaffDoc[]>();
      for (const s of touched) await this.staffChanged(ctx, s);
      return { created: created.length, updated: updates.length };
    },
  },
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
    auth: { roles: ADMIN_ROLES },
    params: {
      $$strict: true,
      file: "string|min:1|max:14000000",
      ...YEAR_MONTH,
    },
    async handler(
      this: This,
      ctx: Ctx<{ file: string; year: number; month: number }>,
    ): Promise<{ people: number; days: number }> {
      const { year, month } = ctx.params;
      const sheet = await readSheet(decodeUpload(ctx.params.file));
      const staff = await this.m.Staff.find({}, { orgId: 1, divisionId: 1 }).lean<StaffDoc[]>();
      const byId = new Map(staff.map((s) => [s._id, { orgId: s.orgId, divisionId: s.divisionId }]));
      const { entries, errors } = validateAttendanceRows(year, month, sheet.headers, sheet.rows, {
        staff: (id) => byId.get(id),
        mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
      });
      if (errors.length) throw importError(errors);
      await this.writeAttendance(entries);
      const people = new Set(entries.map((e) => e.staffId)).size;
      await audit(ctx, "personnel.attendance.import", "success", null, { people, days: entries.length });
      return { people, days: entries.length };
    },
  },
};
