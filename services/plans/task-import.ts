/**
 * The task sheet both ways: the year's tasks exported in the import's columns (with 任务编号), and
 * what importing a sheet changes. A row with a 任务编号 is that task: its cells are compared with
 * the stored task and only the fields that differ become an edit (with history once approved, as
 * a form edit); a row without one is a new task. So the export imported back unchanged plans no
 * write. Pure.
 */
import type { TaskInput, TaskUpdate } from "../../shared/contracts/plans";
import type { TaskDoc } from "./data/models";

/** A row of the sheet; `id` when it names a stored task. */
export type TaskRow = TaskInput & { id?: string };

export interface TaskImportPlan {
  creates: TaskInput[];
  /** Each with the stored task it edits, as read when the file was checked. */
  updates: { id: string; changes: Omit<TaskUpdate, "id"> }[];
  unchanged: number;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The fields of a row that differ from its stored task (empty: the row changes nothing). */
export function taskChanges(stored: TaskDoc, row: TaskInput): Omit<TaskUpdate, "id"> {
  const out: Omit<TaskUpdate, "id"> = {};
  if (row.title !== stored.title) out.title = row.title;
  if (row.targetText !== stored.target.text) out.targetText = row.targetText;
  if ((row.targetValue ?? null) !== (stored.target.value ?? null)) out.targetValue = row.targetValue ?? null;
  if ((row.targetUnit || null) !== (stored.target.unit || null)) out.targetUnit = row.targetUnit || null;
  if (row.dueDate !== stored.dueDate) out.dueDate = row.dueDate;
  if (row.weight !== stored.weight) out.weight = row.weight;
  if (row.responsibleStaffId !== stored.responsibleStaffId) out.responsibleStaffId = row.responsibleStaffId;
  if (!sameList(row.cooperatingDivisionIds ?? [], stored.cooperatingDivisionIds))
    out.cooperatingDivisionIds = row.cooperatingDivisionIds ?? [];
  return out;
}

/** Splits checked rows into new tasks, edits of what differs, and the count of rows that change nothing. */
export function planTaskImport(rows: TaskRow[], stored: Map<string, TaskDoc>): TaskImportPlan {
  const plan: TaskImportPlan = { creates: [], updates: [], unchanged: 0 };
  for (const { id, ...input } of rows) {
    if (!id) {
      plan.creates.push(input);
      continue;
    }
    // The rows were checked against the same tasks: a row's 任务编号 is one of them.
    const changes = taskChanges(stored.get(id)!, input);
    if (Object.keys(changes).length) plan.updates.push({ id, changes });
    else plan.unchanged++;
  }
  return plan;
}

/** A task as a row of the export (`taskWorkbook(rows, true)`); divisions by "单位/处室", which the import resolves. */
export function taskExportRow(t: TaskDoc, divisionName: (id: string) => string): (string | number | null)[] {
  return [
    t._id,
    t.title,
    divisionName(t.leadDivisionId),
    t.cooperatingDivisionIds.map(divisionName).join("、"),
    t.responsibleStaffId,
    t.target.text,
    t.target.value,
    t.target.unit,
    t.dueDate,
    t.weight,
  ];
}
