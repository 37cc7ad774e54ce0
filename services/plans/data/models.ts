/**
 * The plans database. On FerretDB's SQLite backend only `_id` equality is pushed down, so the hot
 * reads are `_id` lookups of precomputed documents: a division's (or person's) tasks for a year,
 * and one document per (division or person, month) holding the arrangement and the completion report.
 * The `tasks` collection is the source of truth; the year documents carry copies of its tasks.
 */
import type { ImportCounts } from "../../../shared/contracts/jobs";
import type { JobDoc } from "../../../shared/store/jobs";
import { Schema, type Connection, type Model } from "mongoose";
import { OVERRIDE_COPY_FIELDS, type OverrideCopyDoc } from "../../../shared/calendar";
import type {
  ArrangementItem,
  CompletionItem,
  CompletionTask,
  EvidenceLog,
  MonthScope,
  TaskPart,
  TaskState,
  TaskTarget,
} from "../../../shared/contracts/plans";

export interface TaskDoc {
  _id: string;
  year: number;
  title: string;
  leadDivisionId: string;
  leadOrgId: string;
  cooperatingDivisionIds: string[];
  /** Lead and cooperating divisions, and their organisations, for queries by participant. */
  participantDivisionIds: string[];
  participantOrgIds: string[];
  responsibleStaffId: string;
  responsibleName: string;
  target: TaskTarget;
  dueDate: string;
  weight: number;
  state: TaskState;
  approvedAt: Date | null;
  approvedBy: string | null;
  version: number;
  parts: TaskPart[];
  evidenceCount: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
  /** Optimistic-concurrency revision of this document. */
  rev: number;
}

export interface TaskVersionDoc {
  _id: string;
  taskId: string;
  version: number;
  snapshot: Omit<TaskDoc, "_id" | "parts" | "evidenceCount" | "rev">;
  replacedAt: Date;
  replacedBy: string | null;
}

/** `d:<divisionId>:<year>` or `p:<staffId>:<year>`: copies of the tasks the owner takes part in. */
export interface YearPlanDoc {
  _id: string;
  scope: MonthScope;
  ownerId: string;
  year: number;
  tasks: TaskDoc[];
  rev: number;
}

export interface MonthDoc {
  /** `d:<divisionId>:YYYY-MM` or `p:<staffId>:YYYY-MM` */
  _id: string;
  scope: MonthScope;
  ownerId: string;
  divisionId: string;
  orgId: string;
  year: number;
  month: number;
  arrangement: { items: ArrangementItem[]; submittedAt: Date; submittedBy: string | null; late: boolean } | null;
  completion: {
    items: Omit<CompletionItem, "text" | "taskId">[];
    tasks: Omit<CompletionTask, "evidence" | "evidenceCount" | "taskTitle">[];
    submittedAt: Date;
    submittedBy: string | null;
    late: boolean;
  } | null;
  rev: number;
}

/** `YYYY-MM`: which divisions submitted the month's arrangement and completion report, and when. */
export interface MonthStatusDoc {
  _id: string;
  arrangement: Record<string, Date>;
  completion: Record<string, Date>;
}

/** Linked work logs of one task (`_id` = task id), kept from the worklog channels. */
export interface EvidenceDoc {
  _id: string;
  logs: EvidenceLog[];
  rev: number;
}

/** What plans last applied for a log (`_id` = log id), so edits and withdrawals undo the right links. */
export interface LogLinkDoc {
  _id: string;
  version: number;
  taskIds: string[];
  title: string;
  withdrawn: boolean;
}

export interface SeenDoc {
  _id: string;
  at: Date;
}

export interface SettingDoc {
  _id: string;
  value: Record<string, unknown>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const str = { type: String, required: true };
const loose = { versionKey: false, strict: false } as const;

const taskSchema = new Schema<TaskDoc>(
  {
    _id: String,
    year: Number,
    title: str,
    leadDivisionId: str,
    leadOrgId: str,
    cooperatingDivisionIds: [String],
    participantDivisionIds: [String],
    participantOrgIds: [String],
    responsibleStaffId: str,
    state: str,
    version: Number,
    rev: Number,
  },
  loose,
);
taskSchema.index({ year: 1, participantDivisionIds: 1 });
taskSchema.index({ year: 1, participantOrgIds: 1 });

const taskVersionSchema = new Schema<TaskVersionDoc>({ _id: String, taskId: str, version: Number }, loose);
taskVersionSchema.index({ taskId: 1, version: 1 }, { unique: true });

const yearPlanSchema = new Schema<YearPlanDoc>(
  { _id: String, scope: str, ownerId: str, year: Number, rev: Number },
  loose,
);
yearPlanSchema.index({ year: 1, scope: 1 });

const monthSchema = new Schema<MonthDoc>(
  { _id: String, scope: str, ownerId: str, divisionId: str, orgId: str, year: Number, month: Number, rev: Number },
  loose,
);
monthSchema.index({ year: 1, month: 1, scope: 1 });
monthSchema.index({ divisionId: 1, year: 1, month: 1 });

const monthStatusSchema = new Schema<MonthStatusDoc>({ _id: String }, loose);
const evidenceSchema = new Schema<EvidenceDoc>({ _id: String, rev: Number }, loose);
const logLinkSchema = new Schema<LogLinkDoc>({ _id: String, version: Number }, loose);
const seenSchema = new Schema<SeenDoc>({ _id: String, at: Date }, { versionKey: false });
const settingSchema = new Schema<SettingDoc>({ _id: String }, loose);
/** The copy of personnel's calendar overrides (shared/calendar.ts OverrideCopy). */
const overrideSchema = new Schema<OverrideCopyDoc>(OVERRIDE_COPY_FIELDS, { versionKey: false });

export interface Models {
  Task: Model<TaskDoc>;
  TaskVersion: Model<TaskVersionDoc>;
  YearPlan: Model<YearPlanDoc>;
  Month: Model<MonthDoc>;
  MonthStatus: Model<MonthStatusDoc>;
  Evidence: Model<EvidenceDoc>;
  LogLink: Model<LogLinkDoc>;
  Seen: Model<SeenDoc>;
  Setting: Model<SettingDoc>;
  Override: Model<OverrideCopyDoc>;
  ImportJob: Model<JobDoc<ImportCounts>>;
}

export function registerModels(db: Connection): Models {
  return {
    Task: db.model<TaskDoc>("Task", taskSchema, "tasks"),
    TaskVersion: db.model<TaskVersionDoc>("TaskVersion", taskVersionSchema, "task_versions"),
    YearPlan: db.model<YearPlanDoc>("YearPlan", yearPlanSchema, "year_plans"),
    Month: db.model<MonthDoc>("Month", monthSchema, "months"),
    MonthStatus: db.model<MonthStatusDoc>("MonthStatus", monthStatusSchema, "month_status"),
    Evidence: db.model<EvidenceDoc>("Evidence", evidenceSchema, "evidence"),
    LogLink: db.model<LogLinkDoc>("LogLink", logLinkSchema, "log_links"),
    Seen: db.model<SeenDoc>("Seen", seenSchema, "seen_events"),
    Setting: db.model<SettingDoc>("Setting", settingSchema, "settings"),
    Override: db.model<OverrideCopyDoc>("Override", overrideSchema, "calendar_overrides"),
    ImportJob: db.model<JobDoc<ImportCounts>>(
      "ImportJob",
      new Schema<JobDoc<ImportCounts>>({ _id: String, key: String }, { versionKey: false, strict: false }),
      "import_jobs",
    ),
  };
}

export const yearPlanId = (scope: MonthScope, ownerId: string, year: number): string =>
  `${scope === "division" ? "d" : "p"}:${ownerId}:${year}`;

export const monthId = (scope: MonthScope, ownerId: string, year: number, month: number): string =>
  `${scope === "division" ? "d" : "p"}:${ownerId}:${year}-${String(month).padStart(2, "0")}`;
