/**
 * Checks of task fields, shared by the form (create/update) and the .xlsx import, which reports
 * every bad cell by row and column. Pure: lookups come in, rows and errors go out.
 */
import ExcelJS from "exceljs";
import type { FieldError } from "../../shared/errors";
import type { TaskInput } from "../../shared/contracts/plans";
import { isIsoDate } from "../../shared/time";

export interface DivisionRef {
  id: string;
  orgId: string;
  name: string;
}

export interface StaffRef {
  id: string;
  name: string;
  orgId: string;
  divisionId: string;
  status: string;
}

export interface TaskLookups {
  division(id: string): DivisionRef | undefined;
  staff(id: string): StaffRef | undefined;
}

export const MAX_TITLE = 200;
export const MAX_TARGET = 1000;
export const MAX_UNIT = 20;

/**
 * Field errors of a task's fields; `field` names the input key. A partial input (an update) is
 * checked only on what it carries, with `current` supplying the rest for cross-field checks.
 */
export function checkTask(input: Partial<TaskInput>, current: Partial<TaskInput>, l: TaskLookups): FieldError[] {
  const errors: FieldError[] = [];
  const merged = { ...current, ...input };
  const year = merged.year ?? 0;
  if (input.title !== undefined && (!input.title.trim() || input.title.length > MAX_TITLE))
    errors.push({ field: "title", message: `任务名称不能为空，且不超过 ${MAX_TITLE} 字` });
  if (input.targetText !== undefined && (!input.targetText.trim() || input.targetText.length > MAX_TARGET))
    errors.push({ field: "targetText", message: `目标不能为空，且不超过 ${MAX_TARGET} 字` });
  if (input.targetValue !== undefined && input.targetValue !== null && !Number.isFinite(input.targetValue))
    errors.push({ field: "targetValue", message: "目标值应为数字" });
  if (input.targetUnit && input.targetUnit.length > MAX_UNIT)
    errors.push({ field: "targetUnit", message: `计量单位不超过 ${MAX_UNIT} 字` });
  if (input.targetUnit && (input.targetValue === null || input.targetValue === undefined) && !current.targetValue)
    errors.push({ field: "targetValue", message: "填写了计量单位，请同时填写目标值" });
  if (input.dueDate !== undefined) {
    if (!isIsoDate(input.dueDate)) errors.push({ field: "dueDate", message: "完成时限应为 YYYY-MM-DD" });
    else if (Number(input.dueDate.slice(0, 4)) !== year)
      errors.push({ field: "dueDate", message: `完成时限应在 ${year} 年内` });
  }
  if (input.weight !== undefined && (!Number.isInteger(input.weight) || input.weight < 1 || input.weight > 100))
    errors.push({ field: "weight", message: "权重应为 1 到 100 的整数" });
  const lead = merged.leadDivisionId ? l.division(merged.leadDivisionId) : undefined;
  if (input.leadDivisionId !== undefined && !lead) errors.push({ field: "leadDivisionId", message: "牵头处室不存在" });
  if (input.cooperatingDivisionIds !== undefined) {
    const seen = new Set<string>();
    for (const id of input.cooperatingDivisionIds) {
      if (!l.division(id)) errors.push({ field: "cooperatingDivisionIds", message: `配合处室不存在：${id}` });
      else if (id === merged.leadDivisionId)
        errors.push({ field: "cooperatingDivisionIds", message: "牵头处室不能同时是配合处室" });
      else if (seen.has(id)) errors.push({ field: "cooperatingDivisionIds", message: `配合处室重复：${id}` });
      seen.add(id);
    }
  }
  if (input.responsibleStaffId !== undefined) {
    const s = l.staff(input.responsibleStaffId);
    if (!s || s.status !== "active") errors.push({ field: "responsibleStaffId", message: "责任人不存在或不在职" });
    else if (lead && s.divisionId !== lead.id)
      errors.push({ field: "responsibleStaffId", message: "责任人应是牵头处室的人员" });
  }
  if (input.partResponsibles !== undefined) {
    const coop = new Set(merged.cooperatingDivisionIds ?? []);
    for (const [divisionId, staffId] of Object.entries(input.partResponsibles)) {
      const s = l.staff(staffId);
      if (!coop.has(divisionId))
        errors.push({ field: "partResponsibles", message: `${divisionId} 不是该任务的配合处室` });
      else if (!s || s.status !== "active" || s.divisionId !== divisionId)
        errors.push({ field: "partResponsibles", message: `${divisionId} 的责任人应是该处室的在职人员` });
    }
  }
  return errors;
}

// ---------- .xlsx import ----------

export const TASK_COLUMNS = {
  /** Optional: the task a row edits (the export's first column); empty for a new task. */
  id: "任务编号",
  title: "任务名称",
  leadDivision: "牵头处室",
  cooperating: "配合处室",
  responsible: "责任人工号",
  targetText: "目标",
  targetValue: "目标值",
  targetUnit: "计量单位",
  dueDate: "完成时限",
  weight: "权重",
} as const;

const REQUIRED_COLUMNS: (keyof typeof TASK_COLUMNS)[] = [
  "title",
  "leadDivision",
  "responsible",
  "targetText",
  "dueDate",
  "weight",
];

/** Which input field each column feeds, so a field error lands on its column. */
const FIELD_COLUMN: Record<string, string> = {
  title: TASK_COLUMNS.title,
  leadDivisionId: TASK_COLUMNS.leadDivision,
  cooperatingDivisionIds: TASK_COLUMNS.cooperating,
  responsibleStaffId: TASK_COLUMNS.responsible,
  targetText: TASK_COLUMNS.targetText,
  targetValue: TASK_COLUMNS.targetValue,
  targetUnit: TASK_COLUMNS.targetUnit,
  dueDate: TASK_COLUMNS.dueDate,
  weight: TASK_COLUMNS.weight,
};

export interface ImportLookups extends TaskLookups {
  /** A division by id, by name within the importer's organisation, or by "单位/处室" or "单位处室" name. */
  resolveDivision(text: string): DivisionRef | undefined;
  mayEdit(divisionId: string): boolean;
  /** The lead division of a stored task of the year, by 任务编号. */
  taskLead(id: string): string | undefined;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** Splits a list cell on the separators people type: 、，, ; ； and line breaks. */
export const splitList = (text: string): string[] =>
  text
    .split(/[、，,;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Validates every row; returns the task inputs only when no cell is bad. */
export function validateTaskRows(
  year: number,
  headers: string[],
  rows: { row: number; cells: Map<string, string> }[],
  l: ImportLookups,
): { tasks: (TaskInput & { id?: string })[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !headers.includes(TASK_COLUMNS[c]));
  if (missing.length) {
    for (const c of missing) errors.push({ row: 1, column: TASK_COLUMNS[c], message: "缺少该列" });
    return { tasks: [], errors };
  }
  if (!rows.length) return { tasks: [], errors: [{ row: 2, column: TASK_COLUMNS.title, message: "没有任务行" }] };
  const tasks: (TaskInput & { id?: string })[] = [];
  const seenIds = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (c: keyof typeof TASK_COLUMNS): string => cells.get(TASK_COLUMNS[c]) ?? "";
    const rowErrors: RowError[] = [];
    const bad = (c: keyof typeof TASK_COLUMNS, message: string): void => {
      rowErrors.push({ row, column: TASK_COLUMNS[c], message });
    };
    for (const c of REQUIRED_COLUMNS) if (!cell(c)) bad(c, "不能为空");
    const id = cell("id");
    const storedLead = id ? l.taskLead(id) : undefined;
    if (id && !storedLead) bad("id", `${year} 年没有任务编号为 ${id} 的任务`);
    if (id && seenIds.has(id)) bad("id", `与第 ${seenIds.get(id)} 行的任务编号重复`);
    if (id) seenIds.set(id, row);
    const lead = cell("leadDivision") ? l.resolveDivision(cell("leadDivision")) : undefined;
    if (lead && storedLead && lead.id !== storedLead) bad("leadDivision", "已有任务的牵头处室不能通过导入修改");
    if (cell("leadDivision") && !lead) bad("leadDivision", `找不到处室“${cell("leadDivision")}”`);
    if (lead && !l.mayEdit(lead.id)) bad("leadDivision", "无权为该处室录入任务");
    const coop: string[] = [];
    for (const name of splitList(cell("cooperating"))) {
      const d = l.resolveDivision(name);
      if (!d) bad("cooperating", `找不到处室“${name}”`);
      else coop.push(d.id);
    }
    const valueText = cell("targetValue");
    const value = valueText === "" ? null : Number(valueText);
    if (value !== null && !Number.isFinite(value)) bad("targetValue", "目标值应为数字");
    const weightText = cell("weight");
    const weight = Number(weightText);
    if (weightText && Number.isNaN(weight)) bad("weight", "权重应为数字");
    if (!rowErrors.length) {
      const input: TaskInput = {
        year,
        title: cell("title"),
        leadDivisionId: lead!.id,
        cooperatingDivisionIds: coop,
        responsibleStaffId: cell("responsible"),
        targetText: cell("targetText"),
        targetValue: value,
        targetUnit: cell("targetUnit") || null,
        dueDate: cell("dueDate"),
        weight,
      };
      for (const e of checkTask(input, {}, l))
        rowErrors.push({ row, column: FIELD_COLUMN[e.field] ?? e.field, message: e.message });
      if (!rowErrors.length) tasks.push(id ? { ...input, id } : input);
    }
    errors.push(...rowErrors);
  }
  return { tasks: errors.length ? [] : tasks, errors };
}

/**
 * A task sheet with the import's headers and the given rows: new tasks (the template, tests), or
 * with `withId` the stored tasks under 任务编号 first (the export).
 */
export async function taskWorkbook(rows: (string | number | null)[][], withId = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("年度任务");
  sheet.addRow(Object.values(TASK_COLUMNS).filter((c) => withId || c !== TASK_COLUMNS.id));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
