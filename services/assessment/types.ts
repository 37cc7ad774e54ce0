/** The assessment service's settings, state and methods, shared by its action, channel and data modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { Clock } from "../../shared/clock";
import type {
  IndicatorFact,
  LearningImportResult,
  RebuildResult,
  Scheme,
  SnapshotMeta,
  SnapshotResults,
  StaffResult,
  SummaryParams,
  SummaryTable,
} from "../../shared/contracts/assessment";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { DbVars } from "../../shared/db";
import type { EntryWriter } from "../../shared/store/entry-writer";
import type { AttendanceMonthDoc, OrgYearDoc, PersonDoc, YearDeadlines } from "./counters";
import type { Models } from "./data/models";
import type { CheckedRecord } from "./learning";
import type { LearningImport, LearningPlan } from "./data/learning-store";
import type { JobReport, Jobs } from "../../shared/store/jobs";
import type { DivisionRef, OrgRef, YearResults } from "./scoring";
import type { SummarySheet } from "./summary";

export interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
  /**
   * How often every organisation's log compliance is read whole from worklog (one report per
   * organisation, one after another): what is due grows as days pass without any event, and an event
   * worklog failed to publish is made good. Changes come by `worklog.compliance.changed`. 0 turns it off.
   */
  logSweepMs?: number;
}

type Meta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };
export type Ctx<P = Record<string, never>> = Context<P, Meta>;

export interface Refs {
  orgs: Map<string, OrgRef & { kind: string }>;
  divisions: Map<string, DivisionRef>;
  /** Every staff record; the assessed are the active ones. */
  staff: Map<string, DirectoryEntry>;
}

/** A summary's tables, the results they were cut from, and who may see what in them. */
export interface SummaryTables {
  title: string;
  tables: SummarySheet[];
  results: YearResults;
  /** "all" when the reader sees every private item, else the reader's account. */
  viewer: string;
}

export interface YearCache {
  people: Map<string, PersonDoc>;
  orgDocs: Map<string, OrgYearDoc>;
  ready: Promise<void> | null;
  results: { key: string; value: YearResults } | null;
}

export interface Vars {
  m: Models;
  clock: Clock;
  people: EntryWriter<PersonDoc>;
  attendanceMonths: EntryWriter<AttendanceMonthDoc>;
  jobs: Jobs<number, RebuildResult>;
  /** Learning imports, written as background jobs (data/learning-store.ts). */
  imports: Jobs<LearningImport, LearningImportResult>;
  orgYears: EntryWriter<OrgYearDoc>;
  years: Map<number, YearCache>;
  refsPromise: Promise<Refs> | null;
  deadlineCache: Map<number, Promise<YearDeadlines>>;
  snapshots: Map<number, Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null>>;
  logSweep: NodeJS.Timeout | null;
  /** The sweep running now, if one is (awaited when the service stops). */
  logSweepRun: Promise<void> | null;
  /** Built summary files per results (dropped with them when an event changes the results). */
  files: WeakMap<YearResults, Map<string, Promise<Buffer | string>>>;
}

export interface Methods {
  today(): string;
  currentYear(): number;
  refs(): Promise<Refs>;
  invalidateRefs(): void;
  yearCache(year: number): Promise<YearCache>;
  docWritten(doc: PersonDoc | OrgYearDoc): void;
  dropYear(year: number, broadcast?: boolean): void;
  scheme(year: number): Promise<Scheme>;
  deadlines(year: number): Promise<YearDeadlines>;
  liveResults(year: number): Promise<YearResults>;
  results(year: number): Promise<{ results: YearResults; frozen: boolean }>;
  snapshot(year: number): Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null>;
  recordFact(fact: IndicatorFact): Promise<void>;
  refreshLogs(orgId: string, year: number): Promise<void>;
  sweepLogs(): void;
  writeLearning(records: CheckedRecord[], mayRecordFor: (orgId: string) => boolean): Promise<LearningImportResult>;
  planLearning(records: CheckedRecord[], mayRecordFor: (orgId: string) => boolean): Promise<LearningPlan>;
  applyLearning(plan: LearningPlan, report?: JobReport): Promise<LearningImportResult>;
  applyLearningImport(input: LearningImport, report: JobReport): Promise<LearningImportResult>;
  recountMonth(staffId: string, year: number, month: number): Promise<void>;
  rebuild(year: number, report?: JobReport): Promise<RebuildResult>;
  seesPrivate(ctx: Ctx<unknown>, s: Pick<StaffResult, "staffId" | "orgId" | "divisionId">): boolean;
  summaryTables(ctx: Ctx<unknown>, p: Required<Pick<SummaryParams, "table">> & SummaryParams): Promise<SummaryTables>;
  summaryFile<F extends Buffer | string>(
    ctx: Ctx<SummaryParams & { table: SummaryTable }>,
    format: "xlsx" | "html",
    build: (t: SummaryTables) => Promise<F> | F,
  ): Promise<{ title: string; file: F }>;
  warmUp(): Promise<void>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
