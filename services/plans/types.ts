/** The plans service's settings, state and methods, shared by its action, data and view modules. */
import type { Model } from "mongoose";
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { OverrideCopy, WorkCalendar } from "../../shared/calendar";
import type { Clock } from "../../shared/clock";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type {
  CompletionMatrix,
  DeadlineSettings,
  MonthKey,
  MonthScope,
  MonthView,
  OverdueReport,
  TaskInput,
  TaskUpdate,
  TaskView,
} from "../../shared/contracts/plans";
import type { DbVars } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import type { OrgRefs } from "../../shared/org-refs";
import type { ImportCounts } from "../../shared/contracts/jobs";
import type { JobReport, Jobs } from "../../shared/store/jobs";
import type { RevWriter } from "../../shared/store/rev-writer";
import type { DocCache } from "./data/doc-cache";
import type { TaskImport } from "./data/task-import";
import type { MonthDoc, Models, TaskDoc, YearPlanDoc } from "./data/models";
import type { DivisionRef, StaffRef } from "./rules";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

export type Ctx<P = Record<string, never>, M extends object = CallMeta> = Context<P, M>;
/** Meta of an action that answers a file: the gateway sends it with this type and these headers. */
export type FileMeta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };

export type Refs = OrgRefs;

export interface Vars {
  m: Models;
  clock: Clock;
  refsCache: Refs | null;
  /** The copy of personnel's calendar overrides, fed by `calendar.override.changed`. */
  calendarCopy: OverrideCopy;
  calendarCache: WorkCalendar | null;
  docs: DocCache;
  /** Task imports, written as background jobs (data/task-import.ts). */
  imports: Jobs<TaskImport, ImportCounts>;
  /** Every `rev`-guarded write (`cas`); what it writes is kept in `docs` and announced. */
  writer: RevWriter;
  reloadTimer: NodeJS.Timeout | null;
}

export interface Methods {
  now(): Date;
  today(): string;
  refs(): Promise<Refs>;
  division(id: string): Promise<DivisionRef>;
  calendar(): Promise<WorkCalendar>;
  deadlines(): Promise<DeadlineSettings>;
  staffRefs(ids: string[]): Promise<Map<string, StaffRef>>;
  mayEditDivision(ctx: Ctx<unknown>, divisionId: string, orgId: string): boolean;
  loadTask(id: string): Promise<TaskDoc>;
  completionMatrix(ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix>;
  doc<T extends { _id: string }>(model: Model<T>, id: string): Promise<T | null>;
  cached(collection: string, doc: { _id: string }, announce?: boolean): void;
  written<T extends { _id: string }>(model: Model<T>, id: string, write: () => Promise<unknown>): Promise<void>;
  preload(): Promise<void>;
  view(doc: TaskDoc): TaskView;
  cas<T extends { _id: string; rev: number }>(
    model: Model<T>,
    id: string,
    init: () => T,
    mutate: (doc: T) => T | null,
  ): Promise<T | null>;
  syncTask(doc: TaskDoc, previous?: TaskDoc): Promise<void>;
  yearTasks(year: number): Promise<TaskDoc[]>;
  createTasks(ctx: Ctx<unknown>, inputs: TaskInput[]): Promise<TaskDoc[]>;
  editTask(ctx: Ctx<unknown>, doc: TaskDoc, changes: Omit<TaskUpdate, "id">): Promise<TaskDoc>;
  applyTaskImport(input: TaskImport, report: JobReport): Promise<ImportCounts>;
  emitTask(
    doc: TaskDoc,
    change: "created" | "edited" | "approved" | "progress",
    by: string | null,
    fields?: string[],
  ): Promise<void>;
  monthView(doc: MonthDoc | null, key: MonthKey): Promise<MonthView | null>;
  planMonths(
    scope: "person" | "division",
    ownerId: string,
    today: string,
  ): Promise<{
    m: { year: number; month: number };
    plan: YearPlanDoc | null;
    thisMonth: MonthDoc | null;
    lastMonth: MonthDoc | null;
    thisView: MonthView | null;
    lastView: MonthView | null;
  }>;
  monthOwner(ctx: Ctx<unknown>, scope: MonthScope, ownerId: string): Promise<{ divisionId: string; orgId: string }>;
  yearPlanTasks(scope: MonthScope, ownerId: string, year: number): Promise<TaskDoc[]>;
  applyLog(event: DomainEvent, logId: string, version: number, taskIds: string[] | null): Promise<void>;
  overdue(date: string | undefined, orgId: string | undefined): Promise<OverdueReport[]>;
  linkDemoLogs(tasks: TaskDoc[], staff: DirectoryEntry[]): Promise<number>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
