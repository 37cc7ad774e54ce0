/** Plans: annual tasks (年度任务), monthly arrangements (每月工作安排) and monthly completion (上月完成情况). */

/** Status of a task part or an arrangement item in a completion report. `delayed` needs a reason. */
export const PROGRESS_STATUSES = ["not_started", "in_progress", "done", "delayed"] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  not_started: "未开始",
  in_progress: "进行中",
  done: "已完成",
  delayed: "延期",
};

/** `draft` until HR (人教处) approves; changes to an approved task keep the earlier version. */
export const TASK_STATES = ["draft", "approved"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Whose month it is: a division's arrangement and report, or one person's. */
export const MONTH_SCOPES = ["division", "person"] as const;
export type MonthScope = (typeof MONTH_SCOPES)[number];

export interface TaskTarget {
  text: string;
  value: number | null;
  unit: string | null;
}

/** One participating division's part of a task: the lead's, or a cooperating division's. */
export interface TaskPart {
  divisionId: string;
  orgId: string;
  role: "lead" | "cooperating";
  /** The person answering for this division's part; the lead part's is the task's responsible person. */
  responsibleStaffId: string | null;
  responsibleName: string | null;
  status: ProgressStatus;
  progress: number;
  reason: string | null;
  /** The month of the completion report that last set the status, "YYYY-MM"; null before any. */
  reportedMonth: string | null;
  /** Work logs from this division linked to the task. */
  evidenceCount: number;
}

export interface TaskView {
  id: string;
  year: number;
  title: string;
  leadDivisionId: string;
  leadOrgId: string;
  cooperatingDivisionIds: string[];
  responsibleStaffId: string;
  responsibleName: string;
  target: TaskTarget;
  dueDate: string;
  /** Relative weight in the division's plan (1–100). */
  weight: number;
  state: TaskState;
  approvedAt: string | null;
  approvedBy: string | null;
  version: number;
  /** Every participant's part for the lead (and HR); only the viewer's own part for a cooperating division. */
  parts: TaskPart[];
  /** Work logs linked to the task, from every participant. */
  evidenceCount: number;
  /** Past the due date and not done. */
  late: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TaskInput {
  year: number;
  title: string;
  leadDivisionId: string;
  cooperatingDivisionIds?: string[];
  responsibleStaffId: string;
  /** Responsible person per cooperating division, keyed by division id. */
  partResponsibles?: Record<string, string>;
  targetText: string;
  targetValue?: number | null;
  targetUnit?: string | null;
  dueDate: string;
  weight: number;
}

export type TaskUpdate = Partial<Omit<TaskInput, "year" | "leadDivisionId">> & { id: string };

/** An earlier version of an approved task, kept when it was changed. */
export interface TaskVersionView {
  taskId: string;
  version: number;
  snapshot: Omit<TaskView, "parts" | "evidenceCount" | "late">;
  replacedAt: string;
  replacedBy: string | null;
}

/** A division's tasks for a year, as that division sees them. */
export interface DivisionPlan {
  divisionId: string;
  year: number;
  /** Tasks the division leads. */
  leading: TaskView[];
  /** Shared tasks led by another division, showing only this division's part. */
  cooperating: TaskView[];
}

export interface EvidenceLog {
  logId: string;
  /** The first line of the log's 所干, shortened. */
  title: string;
  authorStaffId: string;
  authorName: string;
  divisionId: string;
  date: string;
}

export interface TaskEvidence {
  taskId: string;
  count: number;
  logs: EvidenceLog[];
}

// ---------- monthly arrangement and completion ----------

export interface ArrangementItemInput {
  text: string;
  /** The annual task the item serves; null/absent for an item serving no task. */
  taskId?: string | null;
}

export interface ArrangementItem {
  id: string;
  text: string;
  taskId: string | null;
  taskTitle: string | null;
  /** Serves no annual task (marked 非计划任务 in the UI). */
  noTask: boolean;
}

export interface CompletionEntryInput {
  status: ProgressStatus;
  progress: number;
  reason?: string | null;
  note?: string | null;
}

export interface CompletionItemInput extends CompletionEntryInput {
  itemId: string;
}

export interface CompletionTaskInput extends CompletionEntryInput {
  taskId: string;
}

export interface CompletionEntry {
  status: ProgressStatus;
  progress: number;
  reason: string | null;
  note: string | null;
}

export interface CompletionItem extends CompletionEntry {
  itemId: string;
  text: string;
  taskId: string | null;
}

export interface CompletionTask extends CompletionEntry {
  taskId: string;
  taskTitle: string;
  /** Linked work logs dated in the month. */
  evidence: EvidenceLog[];
  evidenceCount: number;
}

export interface MonthKey {
  scope: MonthScope;
  /** A division id or a staff id. */
  ownerId: string;
  year: number;
  month: number;
}

export interface MonthView extends MonthKey {
  divisionId: string;
  orgId: string;
  arrangement: {
    items: ArrangementItem[];
    submittedAt: string | null;
    submittedBy: string | null;
    dueDate: string;
  } | null;
  completion: {
    items: CompletionItem[];
    tasks: CompletionTask[];
    submittedAt: string | null;
    submittedBy: string | null;
    dueDate: string;
  } | null;
}

// ---------- HR matrix ----------

export interface MatrixCell {
  taskId: string;
  divisionId: string;
  role: "lead" | "cooperating";
  status: ProgressStatus;
  progress: number;
  late: boolean;
}

export interface MatrixRow {
  divisionId: string;
  orgId: string;
  name: string;
  /** Parts the division holds (lead or cooperating). */
  parts: number;
  done: number;
  inProgress: number;
  delayed: number;
  notStarted: number;
  late: number;
  /** done / parts, or null without parts. */
  doneRate: number | null;
  /** Σ weight × progress / Σ weight over the division's parts, in %, one decimal; null without parts. */
  weightedProgress: number | null;
}

export interface CompletionMatrix {
  year: number;
  orgId: string | null;
  tasks: { id: string; title: string; leadDivisionId: string; dueDate: string; weight: number; state: TaskState }[];
  rows: MatrixRow[];
  cells: MatrixCell[];
  totals: Omit<MatrixRow, "divisionId" | "orgId" | "name">;
}

// ---------- deadlines ----------

export interface DeadlineSettings {
  /** The completion report for a month is due by this day of the next month (default 5). */
  completionDueDay: number;
  /** When that day is not a working day, move the due date to the next working day. */
  completionRollsToWorkingDay: boolean;
  /** Next month's arrangement is due by the last working day of the month (fixed rule; flag kept for clarity). */
  arrangementDueLastWorkingDay: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface OverdueReport {
  kind: "arrangement" | "completion";
  divisionId: string;
  divisionName: string;
  orgId: string;
  /** The month the arrangement or report is for. */
  year: number;
  month: number;
  dueDate: string;
  /** Calendar days since the due date. */
  daysOverdue: number;
}

// ---------- summaries the pages service composes ----------

export interface PlanSummary {
  year: number;
  tasks: number;
  done: number;
  inProgress: number;
  delayed: number;
  notStarted: number;
  late: number;
  doneRate: number | null;
  weightedProgress: number | null;
}

export interface PersonPlans {
  staffId: string;
  year: number;
  month: number;
  /** Tasks this person answers for (the whole task, or their division's part). */
  tasks: TaskView[];
  summary: PlanSummary;
  thisMonth: MonthView | null;
  lastMonth: MonthView | null;
}

export interface DivisionPlans {
  divisionId: string;
  year: number;
  month: number;
  plan: DivisionPlan;
  summary: PlanSummary;
  thisMonth: MonthView | null;
  lastMonth: MonthView | null;
}

export interface OrgPlans {
  orgId: string;
  year: number;
  month: number;
  summary: PlanSummary;
  divisions: (PlanSummary & {
    divisionId: string;
    arrangementSubmitted: boolean;
    completionSubmitted: boolean;
  })[];
}

export interface PlansSeedResult {
  seeded: boolean;
  tasks?: number;
  sharedTasks?: number;
  months?: number;
  evidenceLinks?: number;
  ms?: number;
}

// ---------- durable event payloads ----------

export interface TaskCreated {
  taskId: string;
  year: number;
  title: string;
  leadDivisionId: string;
  leadOrgId: string;
  cooperatingDivisionIds: string[];
  responsibleStaffId: string;
  dueDate: string;
  weight: number;
  version: number;
  by: string | null;
}

export interface TaskChanged extends TaskCreated {
  /** What changed: edited fields, "approved", or "progress" (a completion report moved a part). */
  change: "edited" | "approved" | "progress";
  fields: string[];
  state: TaskState;
  parts: { divisionId: string; status: ProgressStatus; progress: number }[];
}

export interface ArrangementSubmitted extends MonthKey {
  divisionId: string;
  orgId: string;
  items: number;
  itemsWithoutTask: number;
  submittedAt: string;
  /** Submitted after its due date. */
  late: boolean;
  by: string | null;
}

export interface CompletionSubmitted extends MonthKey {
  divisionId: string;
  orgId: string;
  tasks: { taskId: string; status: ProgressStatus; progress: number }[];
  items: number;
  itemsDone: number;
  submittedAt: string;
  late: boolean;
  by: string | null;
}
