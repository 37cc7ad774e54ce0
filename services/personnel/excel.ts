/**
 * Excel (.xlsx) layouts of the staff roster and the monthly attendance sheet, and the row-by-row
 * validation of imports. Pure apart from exceljs: lookups come in, rows and errors go out.
 */
import ExcelJS from "exceljs";
import {
  ATTENDANCE_LABELS,
  ATTENDANCE_STATUSES,
  GENDER_LABELS,
  STAFF_STATUS_LABELS,
  type AttendanceStatus,
  type Division,
  type Gender,
  type ImportRowError,
  type Org,
  type StaffStatus,
} from "../../shared/contracts/personnel";
import { ageBand, ageOn } from "../../shared/time";
import type { WorkCalendar } from "../../shared/calendar";
import { dateOf, daysInMonth } from "./calendar";
import type { StaffDoc } from "./personnel.types";
import { checkStaffFields, normalizePhone } from "./staff-rules";

interface Column {
  header: string;
  width: number;
}

export const STAFF_COLUMNS = {
  id: { header: "工号", width: 10 },
  name: { header: "姓名", width: 10 },
  gender: { header: "性别", width: 6 },
  birthDate: { header: "出生日期", width: 12 },
  ageBand: { header: "年龄段", width: 12 },
  education: { header: "学历", width: 13 },
  politicalStatus: { header: "政治面貌", width: 10 },
  title: { header: "职务职级", width: 14 },
  org: { header: "单位", width: 18 },
  division: { header: "处室", width: 20 },
  post: { header: "岗位", width: 20 },
  phone: { header: "手机号", width: 15 },
  hireDate: { header: "入职日期", width: 12 },
  status: { header: "状态", width: 8 },
} satisfies Record<string, Column>;

/** Columns an import must have; 工号 (update) and 状态 are optional, 年龄段 and 岗位 are ignored. */
const REQUIRED_STAFF_COLUMNS: (keyof typeof STAFF_COLUMNS)[] = [
  "name",
  "gender",
  "birthDate",
  "education",
  "politicalStatus",
  "title",
  "org",
  "division",
  "hireDate",
];

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", horizontal: "center" };
  header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface StaffExportContext {
  today: string;
  orgName: (id: string) => string;
  divisionName: (id: string) => string;
  postTitle: (id: string | null) => string;
}

export async function staffWorkbook(rows: StaffDoc[], c: StaffExportContext): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("干部职工名册");
  sheet.columns = Object.entries(STAFF_COLUMNS).map(([key, col]) => ({ key, header: col.header, width: col.width }));
  for (const s of rows) {
    sheet.addRow({
      id: s._id,
      name: s.name,
      gender: GENDER_LABELS[s.gender],
      birthDate: s.birthDate,
      ageBand: ageBand(ageOn(s.birthDate, c.today)),
      education: s.education,
      politicalStatus: s.politicalStatus,
      title: s.title,
      org: c.orgName(s.orgId),
      division: c.divisionName(s.divisionId),
      post: c.postTitle(s.postId),
      phone: s.phone ?? "",
      hireDate: s.hireDate,
      status: STAFF_STATUS_LABELS[s.status],
    });
  }
  styleHeader(sheet);
  return toBuffer(wb);
}

export interface StaffImportLookups {
  today: string;
  /** Organisation by id or full name. */
  org: (key: string) => Org | undefined;
  /** Division of an organisation by id or name. */
  division: (orgId: string, key: string) => Division | undefined;
  /** Org of an existing staff record, or undefined. */
  existingOrg: (staffId: string) => string | undefined;
  mayImportInto: (orgId: string) => boolean;
}

export interface StaffImportRow {
  row: number;
  id: string | null;
  name: string;
  gender: Gender;
  birthDate: string;
  education: StaffDoc["education"];
  politicalStatus: StaffDoc["politicalStatus"];
  title: string;
  orgId: string;
  divisionId: string;
  phone: string | null;
  hireDate: string;
  status: StaffStatus;
}

const GENDER_BY_LABEL = new Map<string, Gender>([
  ["男", "male"],
  ["女", "female"],
]);
const STATUS_BY_LABEL = new Map<string, StaffStatus>(
  Object.entries(STAFF_STATUS_LABELS).map(([k, v]) => [v, k as StaffStatus]),
);

/** Validates every row; returns the rows ready to write only when no row has an error. */
export function validateStaffRows(
  headers: string[],
  rows: { row: number; cells: Map<string, string> }[],
  l: StaffImportLookups,
): { rows: StaffImportRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  for (const key of REQUIRED_STAFF_COLUMNS) {
    const h = STAFF_COLUMNS[key].header;
    if (!headers.includes(h)) errors.push({ row: 1, column: h, message: `缺少列「${h}」` });
  }
  if (errors.length) return { rows: [], errors };
  if (!rows.length) return { rows: [], errors: [{ row: 2, column: "", message: "没有数据行" }] };

  const out: StaffImportRow[] = [];
  const seenIds = new Set<string>();
  for (const { row, cells } of rows) {
    const get = (key: keyof typeof STAFF_COLUMNS): string => cells.get(STAFF_COLUMNS[key].header) ?? "";
    const err = (key: keyof typeof STAFF_COLUMNS, message: string): void =>
      void errors.push({ row, column: STAFF_COLUMNS[key].header, message });
    const before = errors.length;

    for (const key of REQUIRED_STAFF_COLUMNS) if (!get(key)) err(key, "不能为空");

    const id = get("id") || null;
    if (id) {
      const existing = l.existingOrg(id);
      if (!existing) err("id", `工号 ${id} 不存在`);
      else if (!l.mayImportInto(existing)) err("id", `无权修改工号 ${id}`);
      if (seenIds.has(id)) err("id", `工号 ${id} 在文件中重复`);
      seenIds.add(id);
    }
    const gender = GENDER_BY_LABEL.get(get("gender"));
    if (get("gender") && !gender) err("gender", "性别应为 男 或 女");
    const statusLabel = get("status");
    const status = statusLabel ? STATUS_BY_LABEL.get(statusLabel) : "active";
    if (!status) err("status", `状态应为 ${Object.values(STAFF_STATUS_LABELS).join("/")}`);

    const org = get("org") ? l.org(get("org")) : undefined;
    if (get("org") && !org) err("org", `未知单位「${get("org")}」`);
    else if (org && !l.mayImportInto(org.id)) err("org", `无权导入到「${org.name}」`);
    const division = org && get("division") ? l.division(org.id, get("division")) : undefined;
    if (org && get("division") && !division) err("division", `「${org.name}」没有处室「${get("division")}」`);

    const phoneRaw = get("phone");
    const fieldErrors = checkStaffFields(
      {
        name: get("name") || undefined,
        education: get("education") || undefined,
        politicalStatus: get("politicalStatus") || undefined,
        birthDate: get("birthDate") || undefined,
        hireDate: get("hireDate") || undefined,
        phone: phoneRaw || undefined,
      },
      l.today,
    );
    for (const fe of fieldErrors) err(fe.field as keyof typeof STAFF_COLUMNS, fe.message);

    if (errors.length === before && gender && status && org && division) {
      out.push({
        row,
        id,
        name: get("name"),
        gender,
        birthDate: get("birthDate"),
        education: get("education") as StaffImportRow["education"],
        politicalStatus: get("politicalStatus") as StaffImportRow["politicalStatus"],
        title: get("title"),
        orgId: org.id,
        divisionId: division.id,
        phone: phoneRaw ? normalizePhone(phoneRaw) : null,
        hireDate: get("hireDate"),
        status,
      });
    }
  }
  return errors.length ? { rows: [], errors } : { rows: out, errors };
}

/* ---------- attendance ---------- */

const dayHeader = (d: number): string => `${d}日`;
const STATUS_BY_ATTENDANCE_LABEL = new Map<string, AttendanceStatus>(
  ATTENDANCE_STATUSES.map((s) => [ATTENDANCE_LABELS[s], s]),
);

export interface AttendanceSheetPerson {
  staffId: string;
  name: string;
  divisionName: string;
  days: Record<string, AttendanceStatus>;
}

/** 工号 | 姓名 | 处室 | 1日 … N日 | one total column per status. Days off (on `cal`) are shaded. */
export async function attendanceWorkbook(
  cal: WorkCalendar,
  year: number,
  month: number,
  people: AttendanceSheetPerson[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(`${year}年${month}月考勤`);
  const n = daysInMonth(year, month);
  sheet.columns = [
    { key: "id", header: "工号", width: 10 },
    { key: "name", header: "姓名", width: 10 },
    { key: "division", header: "处室", width: 18 },
    ...Array.from({ length: n }, (_, i) => ({ key: `d${i + 1}`, header: dayHeader(i + 1), width: 6 })),
    ...ATTENDANCE_STATUSES.map((s) => ({ key: `t_${s}`, header: `${ATTENDANCE_LABELS[s]}天数`, width: 9 })),
  ];
  for (const p of people) {
    const values: Record<string, string | number> = { id: p.staffId, name: p.name, division: p.divisionName };
    const totals = new Map<AttendanceStatus, number>();
    for (const [day, status] of Object.entries(p.days)) {
      values[`d${Number(day)}`] = ATTENDANCE_LABELS[status];
      totals.set(status, (totals.get(status) ?? 0) + 1);
    }
    for (const s of ATTENDANCE_STATUSES) values[`t_${s}`] = totals.get(s) ?? 0;
    sheet.addRow(values);
  }
  for (let d = 1; d <= n; d++) {
    if (cal.isWorkingDay(dateOf(year, month, d))) continue;
    sheet.getColumn(3 + d).eachCell((cell, row) => {
      if (row > 1) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEEEEE" } };
    });
  }
  styleHeader(sheet);
  return toBuffer(wb);
}

export interface AttendanceImportLookups {
  /** Org and division of an existing staff record. */
  staff: (staffId: string) => { orgId: string; divisionId: string } | undefined;
  mayImportInto: (orgId: string) => boolean;
}

export interface AttendanceImportEntry {
  staffId: string;
  orgId: string;
  divisionId: string;
  date: string;
  status: AttendanceStatus;
}

/** Validates the sheet of one month; empty day cells mean "not recorded" and are skipped. */
export function validateAttendanceRows(
  year: number,
  month: number,
  headers: string[],
  rows: { row: number; cells: Map<string, string> }[],
  l: AttendanceImportLookups,
): { entries: AttendanceImportEntry[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  if (!headers.includes("工号"))
    return { entries: [], errors: [{ row: 1, column: "工号", message: "缺少列「工号」" }] };
  const n = daysInMonth(year, month);
  const dayColumns: [string, number][] = [];
  for (const h of headers) {
    const m = /^(\d{1,2})日$/.exec(h ?? "");
    if (!m) continue;
    const d = Number(m[1]);
    if (d < 1 || d > n) errors.push({ row: 1, column: h, message: `${year}年${month}月没有${d}日` });
    else dayColumns.push([h, d]);
  }
  if (!dayColumns.length && !errors.length) errors.push({ row: 1, column: "", message: "没有日期列（如「1日」）" });
  if (errors.length) return { entries: [], errors };

  const entries: AttendanceImportEntry[] = [];
  const seen = new Set<string>();
  for (const { row, cells } of rows) {
    const staffId = cells.get("工号") ?? "";
    const person = staffId ? l.staff(staffId) : undefined;
    if (!staffId) {
      errors.push({ row, column: "工号", message: "不能为空" });
      continue;
    }
    if (!person) {
      errors.push({ row, column: "工号", message: `工号 ${staffId} 不存在` });
      continue;
    }
    if (!l.mayImportInto(person.orgId)) {
      errors.push({ row, column: "工号", message: `无权导入工号 ${staffId} 的考勤` });
      continue;
    }
    if (seen.has(staffId)) errors.push({ row, column: "工号", message: `工号 ${staffId} 在文件中重复` });
    seen.add(staffId);
    for (const [h, d] of dayColumns) {
      const label = cells.get(h) ?? "";
      if (!label) continue;
      const status =
        STATUS_BY_ATTENDANCE_LABEL.get(label) ??
        ((ATTENDANCE_STATUSES as readonly string[]).includes(label) ? (label as AttendanceStatus) : undefined);
      if (!status) {
        errors.push({
          row,
          column: h,
          message: `未知出勤状态「${label}」，应为 ${Object.values(ATTENDANCE_LABELS).join("/")}`,
        });
        continue;
      }
      entries.push({
        staffId,
        orgId: person.orgId,
        divisionId: person.divisionId,
        date: dateOf(year, month, d),
        status,
      });
    }
  }
  return errors.length ? { entries: [], errors } : { entries, errors };
}
