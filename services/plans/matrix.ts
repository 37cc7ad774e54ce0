/**
 * Pure views of tasks: what each participant sees of a shared task, the plan summaries on the pages,
 * and HR's completion matrix (divisions × tasks).
 */
import {
  PROGRESS_LABELS,
  type CompletionMatrix,
  type MatrixCell,
  type MatrixRow,
  type PlanSummary,
  type TaskPart,
  type TaskView,
} from "../../shared/contracts/plans";
import { FORMAT, type Table } from "../../shared/report-table";

/** Past its due date and not done. */
export const partLate = (dueDate: string, part: Pick<TaskPart, "status">, today: string): boolean =>
  part.status !== "done" && dueDate < today;

/**
 * A task as a division sees it: the lead (and anyone with the whole view, `null`) sees every part;
 * a cooperating division sees only its own part.
 */
export function taskAs(task: TaskView, viewerDivisionId: string | null): TaskView {
  if (viewerDivisionId === null || task.leadDivisionId === viewerDivisionId) return task;
  return { ...task, parts: task.parts.filter((p) => p.divisionId === viewerDivisionId) };
}

/** The part that stands for the task as a whole: the lead's. */
export const leadPart = (task: TaskView): TaskPart | undefined => task.parts.find((p) => p.role === "lead");

const round1 = (n: number): number => Math.round(n * 10) / 10;
const rate = (num: number, den: number): number | null => (den ? Math.round((num / den) * 1000) / 1000 : null);

interface Tally {
  parts: number;
  done: number;
  inProgress: number;
  delayed: number;
  notStarted: number;
  late: number;
  weight: number;
  weighted: number;
}

const emptyTally = (): Tally => ({
  parts: 0,
  done: 0,
  inProgress: 0,
  delayed: 0,
  notStarted: 0,
  late: 0,
  weight: 0,
  weighted: 0,
});

function add(t: Tally, status: TaskPart["status"], progress: number, weight: number, late: boolean): void {
  t.parts += 1;
  if (status === "done") t.done += 1;
  else if (status === "in_progress") t.inProgress += 1;
  else if (status === "delayed") t.delayed += 1;
  else t.notStarted += 1;
  if (late) t.late += 1;
  t.weight += weight;
  t.weighted += weight * (status === "done" ? 100 : progress);
}

const finish = (t: Tally) => ({
  parts: t.parts,
  done: t.done,
  inProgress: t.inProgress,
  delayed: t.delayed,
  notStarted: t.notStarted,
  late: t.late,
  doneRate: rate(t.done, t.parts),
  weightedProgress: t.weight ? round1(t.weighted / t.weight) : null,
});

/**
 * A plan summary over tasks, one count per task, from the given division's part (or the lead's).
 * A done part counts as 100 % whatever progress was reported.
 */
export function summarize(tasks: TaskView[], year: number, today: string, divisionId?: string): PlanSummary {
  const t = emptyTally();
  for (const task of tasks) {
    const part = (divisionId && task.parts.find((p) => p.divisionId === divisionId)) || leadPart(task);
    if (!part) continue;
    add(t, part.status, part.progress, task.weight, partLate(task.dueDate, part, today));
  }
  const { parts, ...rest } = finish(t);
  return { year, tasks: parts, ...rest };
}

/**
 * HR's completion matrix: one cell per (task, participating division), one row per division holding
 * at least one part (plus the given divisions with none), and bureau-wide totals over all cells.
 */
export function completionMatrix(
  tasks: TaskView[],
  divisions: { id: string; orgId: string; name: string }[],
  year: number,
  orgId: string | null,
  today: string,
): CompletionMatrix {
  const cells: MatrixCell[] = [];
  const tallies = new Map<string, Tally>(divisions.map((d) => [d.id, emptyTally()]));
  const total = emptyTally();
  const sorted = [...tasks].sort(
    (a, b) => a.leadDivisionId.localeCompare(b.leadDivisionId) || a.id.localeCompare(b.id),
  );
  for (const task of sorted)
    for (const part of task.parts) {
      const late = partLate(task.dueDate, part, today);
      cells.push({
        taskId: task.id,
        divisionId: part.divisionId,
        role: part.role,
        status: part.status,
        progress: part.status === "done" ? 100 : part.progress,
        late,
      });
      const t = tallies.get(part.divisionId);
      if (t) add(t, part.status, part.progress, task.weight, late);
      if (t || !divisions.length) add(total, part.status, part.progress, task.weight, late);
    }
  const rows: MatrixRow[] = divisions.map((d) => ({
    divisionId: d.id,
    orgId: d.orgId,
    name: d.name,
    ...finish(tallies.get(d.id)!),
  }));
  return {
    year,
    orgId,
    tasks: sorted.map((t) => ({
      id: t.id,
      title: t.title,
      leadDivisionId: t.leadDivisionId,
      dueDate: t.dueDate,
      weight: t.weight,
      state: t.state,
    })),
    rows,
    cells,
    totals: finish(total),
  };
}

/** Names the matrix tables print instead of ids. */
export interface MatrixNames {
  scope: string;
  org: (id: string) => string;
  division: (id: string) => string;
  generated: string;
}

/**
 * HR's matrix as printable tables: the divisions with their tallies (and the bureau total), and every
 * cell as a line (task × participating division), which is how the bureau reads it on paper.
 */
export function matrixTables(m: CompletionMatrix, names: MatrixNames): [Table<MatrixRow>, Table<MatrixLine>] {
  const totals: MatrixRow = { divisionId: "", orgId: "", name: "合计", ...m.totals };
  const tasks = new Map(m.tasks.map((t) => [t.id, t]));
  const lines: MatrixLine[] = m.cells.map((c) => ({ ...c, task: tasks.get(c.taskId)! }));
  const subtitle = `${names.scope} · 生成于 ${names.generated}`;
  return [
    {
      sheetName: "处室完成情况",
      title: `${m.year}年度${names.scope}年度任务完成情况汇总表`,
      subtitle,
      columns: [
        { group: null, header: "单位", width: 16, value: (r) => (r.orgId ? names.org(r.orgId) : "") },
        { group: null, header: "处室", width: 18, value: (r) => r.name },
        { group: "任务", header: "承担", width: 8, value: (r) => r.parts },
        { group: "任务", header: "已完成", width: 8, value: (r) => r.done },
        { group: "任务", header: "进行中", width: 8, value: (r) => r.inProgress },
        { group: "任务", header: "延期", width: 7, value: (r) => r.delayed },
        { group: "任务", header: "未开始", width: 8, value: (r) => r.notStarted },
        { group: "任务", header: "逾期", width: 7, value: (r) => r.late },
        { group: "完成", header: "完成率", width: 9, format: FORMAT.pct, value: (r) => r.doneRate },
        {
          group: "完成",
          header: "加权进度",
          width: 9,
          format: FORMAT.pct,
          value: (r) => (r.weightedProgress === null ? null : r.weightedProgress / 100),
        },
      ],
      rows: [...m.rows, totals],
    },
    {
      sheetName: "任务明细",
      title: `${m.year}年度${names.scope}年度任务完成明细表`,
      subtitle,
      columns: [
        { group: null, header: "任务", width: 36, value: (l) => l.task.title },
        { group: null, header: "牵头处室", width: 16, value: (l) => names.division(l.task.leadDivisionId) },
        { group: null, header: "完成时限", width: 11, value: (l) => l.task.dueDate },
        { group: null, header: "权重", width: 6, value: (l) => l.task.weight },
        { group: "承担处室", header: "处室", width: 16, value: (l) => names.division(l.divisionId) },
        { group: "承担处室", header: "角色", width: 7, value: (l) => (l.role === "lead" ? "牵头" : "配合") },
        { group: "进展", header: "状态", width: 8, value: (l) => PROGRESS_LABELS[l.status] },
        { group: "进展", header: "进度", width: 8, format: FORMAT.pct, value: (l) => l.progress / 100 },
        { group: "进展", header: "逾期", width: 6, value: (l) => (l.late ? "是" : "") },
      ],
      rows: lines,
    },
  ];
}

/** A matrix cell with its task, one line of the detail table. */
export type MatrixLine = MatrixCell & { task: CompletionMatrix["tasks"][number] };
