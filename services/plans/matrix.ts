/**
 * Pure views of tasks: what each participant sees of a shared task, the plan summaries on the pages,
 * and HR's completion matrix (divisions × tasks).
 */
import type {
  CompletionMatrix,
  MatrixCell,
  MatrixRow,
  PlanSummary,
  TaskPart,
  TaskView,
} from "../../shared/contracts/plans";

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
