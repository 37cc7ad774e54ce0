/**
 * Learning records (网络学习) from the learning platform: its .xlsx or CSV export, or its push.
 * Each row is checked on its own; the caller writes nothing unless every row passes. Pure.
 */
import { LEARNING_COLUMNS, type LearningRecordInput } from "../../shared/contracts/assessment";
import type { ImportRowError } from "../../shared/contracts/personnel";
import { isIsoDate } from "../../shared/time";

export interface StaffLookup {
  staff(id: string): { name: string; orgId: string; divisionId: string } | undefined;
  /** The caller may record learning for this organisation's staff. */
  mayRecordFor(orgId: string): boolean;
}

export type CheckedRecord = LearningRecordInput & { orgId: string; divisionId: string };

export interface RawRecord {
  recordId: string;
  staffId: string;
  name?: string;
  date: string;
  hours: string | number;
  course: string;
}

type Key = keyof typeof LEARNING_COLUMNS;

/** "2026/3/5", "2026-3-5" and "2026-03-05" all mean 2026-03-05. */
export function normalizeDate(s: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s.trim());
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s.trim();
}

/** One record's problems, by field; the record when there are none. */
export function checkRecord(
  raw: RawRecord,
  lookup: StaffLookup,
): { record: CheckedRecord | null; errors: { key: Key; message: string }[] } {
  const errors: { key: Key; message: string }[] = [];
  const recordId = String(raw.recordId ?? "").trim();
  if (!recordId || recordId.length > 64) errors.push({ key: "recordId", message: "记录编号不能为空，最长 64 个字符" });
  const staffId = String(raw.staffId ?? "").trim();
  const person = staffId ? lookup.staff(staffId) : undefined;
  if (!person) errors.push({ key: "staffId", message: staffId ? `工号 ${staffId} 不存在` : "工号不能为空" });
  else if (!lookup.mayRecordFor(person.orgId))
    errors.push({ key: "staffId", message: "无权为其他单位的人员录入学习记录" });
  else if (raw.name && raw.name.trim() && raw.name.trim() !== person.name)
    errors.push({ key: "name", message: `姓名与工号不符（工号 ${staffId} 为 ${person.name}）` });
  const date = normalizeDate(String(raw.date ?? ""));
  if (!isIsoDate(date) || date < "2000-01-01" || date > "2100-12-31")
    errors.push({ key: "date", message: "学习日期应为 YYYY-MM-DD" });
  const hoursText = String(raw.hours ?? "").trim();
  const hours = Number(hoursText);
  if (!hoursText || !Number.isFinite(hours) || hours <= 0 || hours > 24)
    errors.push({ key: "hours", message: "学时应为大于 0、不超过 24 的数字" });
  const course = String(raw.course ?? "").trim();
  if (!course || course.length > 200) errors.push({ key: "course", message: "课程名称不能为空，最长 200 个字符" });
  if (errors.length || !person) return { record: null, errors };
  return {
    record: {
      recordId,
      staffId,
      date,
      hours: Math.round(hours * 100) / 100,
      course,
      orgId: person.orgId,
      divisionId: person.divisionId,
    },
    errors,
  };
}

/** Rows of a sheet (from readSheet or parseCsv): every bad cell with its row and column, or the records. */
export function validateLearningRows(
  headers: string[],
  rows: { row: number; cells: Map<string, string> }[],
  lookup: StaffLookup,
): { records: CheckedRecord[]; errors: ImportRowError[] } {
  const required: Key[] = ["recordId", "staffId", "date", "hours", "course"];
  const missing = required.filter((k) => !headers.includes(LEARNING_COLUMNS[k]));
  if (missing.length)
    return {
      records: [],
      errors: missing.map((k) => ({
        row: 1,
        column: LEARNING_COLUMNS[k],
        message: `缺少列「${LEARNING_COLUMNS[k]}」`,
      })),
    };
  if (!rows.length)
    return { records: [], errors: [{ row: 2, column: LEARNING_COLUMNS.recordId, message: "文件中没有数据行" }] };
  const records: CheckedRecord[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const get = (k: Key): string => cells.get(LEARNING_COLUMNS[k]) ?? "";
    const { record, errors: rowErrors } = checkRecord(
      {
        recordId: get("recordId"),
        staffId: get("staffId"),
        name: get("name"),
        date: get("date"),
        hours: get("hours"),
        course: get("course"),
      },
      lookup,
    );
    for (const e of rowErrors) errors.push({ row, column: LEARNING_COLUMNS[e.key], message: e.message });
    const first = seen.get(get("recordId").trim());
    if (first) errors.push({ row, column: LEARNING_COLUMNS.recordId, message: `记录编号与第 ${first} 行重复` });
    else seen.set(get("recordId").trim(), row);
    if (record) records.push(record);
  }
  return { records, errors };
}

/** A CSV file as header → text rows (RFC 4180 quoting; UTF-8 with or without BOM, or GB18030). */
export function parseCsv(file: Buffer): { headers: string[]; rows: { row: number; cells: Map<string, string> }[] } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file);
  } catch {
    text = new TextDecoder("gb18030").decode(file);
  }
  text = text.replace(/^\uFEFF/, "");
  const lines: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      lines.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field || record.length) lines.push([...record, field]);
  const headers = (lines[0] ?? []).map((h) => h.trim());
  const rows = lines.slice(1).flatMap((cells, i) => {
    if (cells.every((c) => !c.trim())) return [];
    return [{ row: i + 2, cells: new Map(headers.map((h, j) => [h, (cells[j] ?? "").trim()])) }];
  });
  return { headers, rows };
}

/** An .xlsx file starts with the zip signature "PK". */
export const isXlsx = (file: Buffer): boolean => file.length > 3 && file[0] === 0x50 && file[1] === 0x4b;
