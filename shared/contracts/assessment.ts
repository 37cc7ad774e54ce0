/**
 * Assessment (考核): indicators that count themselves, schemes, scores and the one-click summaries.
 *
 * REST (gateway, all under /api/assessment, signed-in members unless noted):
 *   GET  /schemes/:year                       schemes.get        → Scheme (the default until HR saves one)
 *   PUT  /schemes/:year                       schemes.set        → Scheme (city HR only; 409 once frozen)
 *   GET  /summary/counties?year               summary.counties   → OrgResult[] (the 20 counties, ranked)
 *   GET  /summary/divisions?year&orgId        summary.divisions  → DivisionResult[] (one organisation's divisions, ranked)
 *   GET  /summary/staff?year&orgId|divisionId summary.staff      → StaffResult[] (private items redacted unless allowed)
 *   GET  /breakdown/:staffId?year             breakdown          → StaffBreakdown (own / admin: every item and fact)
 *   GET  /exports/summary?year&table&orgId&divisionId  export   → .xlsx download
 *   GET  /print/summary?year&table&orgId&divisionId    print    → text/html, print-ready (直接打印)
 *   POST /imports/learning {file (base64), format?}   learning.import → LearningImportResult (HR / admins)
 *   POST /learning/records {records}                  learning.push   → LearningImportResult (HR / sys admin: the platform's push)
 *   GET  /learning?staffId&year               learning.list      → LearningRecord[]
 *   POST /rebuild {year}                      rebuild            → RebuildJob (city HR / sys admin: starts a
 *                                             background job, or returns the year's running one)
 *   GET  /rebuild/jobs/:id                    rebuild.status     → RebuildJob (phase, done/total, result or error)
 *   GET  /rebuild/jobs?year                   rebuild.latest     → RebuildJob | null (the year's latest job)
 *   POST /freeze {year}                       freeze             → SnapshotMeta (city HR only)
 *   GET  /snapshots/:year                     snapshots.get      → Snapshot
 *   GET  /snapshots/:year/diff                snapshots.diff     → SnapshotDiff (what a re-run would change)
 */

import type { JobView } from "./jobs";
import type { AttendanceStatus } from "./personnel";

/** Indicators fed by facts: online learning (网络学习), information reports (信息报送), publicity (宣传). */
export const INDICATOR_KINDS = ["learning", "information", "publicity"] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const INDICATOR_LABELS: Record<IndicatorKind, string> = {
  learning: "网络学习",
  information: "信息报送",
  publicity: "宣传",
};

/**
 * One indicator fact, as its source service records it (channel `indicator.fact.recorded`).
 * `factId` is stable at the source ("info:<reportId>", "pub:<itemId>", "learn:<recordId>"): a later
 * fact with the same id and a higher `version` replaces the earlier one, and `value` 0 retracts it,
 * so consumers count each fact once however often it is delivered.
 */
export interface IndicatorFact {
  factId: string;
  version: number;
  kind: IndicatorKind;
  staffId: string;
  orgId: string;
  divisionId: string;
  /** The day the fact counts for, YYYY-MM-DD (Asia/Shanghai). */
  date: string;
  /** Points (information, publicity) or hours (learning). */
  value: number;
  /** What it was, for the breakdown: a report title, an article and its outlet, a course. */
  label: string;
  /** Level for information and publicity: "city" | "province" | "national" etc.; null for learning. */
  level: string | null;
}

/** The rebuild reads information and publicity facts back from `info.facts.list` (shared/contracts/info.ts). */

// ---------- items, grades and schemes ----------

/** What a score is made of. Staff are scored on STAFF_ITEMS, divisions on DIVISION_ITEMS. */
export const ITEM_KEYS = ["tasks", "timeliness", "logs", "attendance", "learning", "information", "publicity"] as const;
export type ItemKey = (typeof ITEM_KEYS)[number];

export const ITEM_LABELS: Record<ItemKey, string> = {
  tasks: "年度任务完成",
  timeliness: "月度填报及时",
  logs: "工作日志",
  attendance: "出勤",
  learning: "网络学习",
  information: "信息报送",
  publicity: "宣传",
};

/** A staff member's `tasks` item is their division's task completion (处室任务完成情况). */
export const STAFF_ITEMS = ["tasks", "logs", "attendance", "learning", "information", "publicity"] as const;
export type StaffItem = (typeof STAFF_ITEMS)[number];
export const DIVISION_ITEMS = ITEM_KEYS;
export type DivisionItem = ItemKey;

/**
 * Items that are personal data: shown only to the person, administrators of their organisation
 * (HR, county admin) and leaders. Every other item is public work information, visible to all.
 */
export const PRIVATE_ITEMS: readonly ItemKey[] = ["attendance"];

export const GRADES = ["excellent", "competent", "basic", "incompetent"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  excellent: "优秀",
  competent: "称职",
  basic: "基本称职",
  incompetent: "不称职",
};

/** How each item's 0–100 score is computed. */
export interface SchemeRules {
  /** Learning hours (学时) in the year for full marks; fewer earn the proportional share. */
  learningHours: number;
  /** Information-report points (by adoption level, as the info service awards them) for full marks. */
  informationPoints: number;
  /** Publicity points for full marks. */
  publicityPoints: number;
  /** Log compliance rate (done / due, 0–1) that earns full marks; below it, proportional. */
  logFullRate: number;
  /** Share (0–1) of a log's credit kept when it was published late. */
  logLateCredit: number;
  /** Points off 100 per absent day (缺勤). */
  absentPenalty: number;
  /** Points off 100 per day of personal leave (事假). */
  personalLeavePenalty: number;
  /** Share (0–1) of its progress that a delayed (延期) task part still earns. */
  delayedCredit: number;
}

export interface GradeRules {
  /** Minimum score for 优秀 (before the quota). */
  excellentMin: number;
  /** Minimum score for 称职; below it 基本称职 down to basicMin, then 不称职. */
  competentMin: number;
  basicMin: number;
  /**
   * Largest share (0–1) of an organisation's assessed staff graded 优秀 (default 0.15): the quota is
   * floor(share × staff). Ties at the quota line are broken by TIE_BREAK_RULE.
   */
  excellentShare: number;
}

/** The documented order among equal total scores (for ranks and the 优秀 quota). */
export const TIE_BREAK_RULE =
  "总分相同时依次比较：工作日志得分、年度任务完成得分、出勤得分、信息报送与宣传得分之和，仍相同按工号升序";

export interface SchemeInput {
  /** Relative weights (0–100 each, at least one positive); scores are Σ weight × item score / Σ weight. */
  staffWeights: Record<StaffItem, number>;
  divisionWeights: Record<DivisionItem, number>;
  rules: SchemeRules;
  grades: GradeRules;
}

export interface Scheme extends SchemeInput {
  year: number;
  /** Not yet saved by HR: the defaults apply. */
  isDefault: boolean;
  /** Frozen with the year's snapshot; no more edits. */
  frozen: boolean;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

// ---------- results ----------

export interface ItemScore {
  item: ItemKey;
  label: string;
  weight: number;
  /** 0–100, one decimal; null when hidden from this viewer or nothing was due. */
  score: number | null;
  /** This item's share of the total: weight × score / Σ weights, two decimals. */
  points: number | null;
  /** How the score was made, in words: "应写 230 篇，已写 221 篇（按时 210 篇），完成率 96.1%". */
  detail: string;
  /** Hidden from this viewer (a private item of someone else). */
  hidden: boolean;
}

export interface AttendanceCounters {
  /** Days with a recorded status. */
  recorded: number;
  present: number;
  absent: number;
  leavePersonal: number;
  leaveSick: number;
  leaveAnnual: number;
  businessTrip: number;
  training: number;
}

export interface TaskCounters {
  parts: number;
  done: number;
  inProgress: number;
  delayed: number;
  notStarted: number;
  /** Past due and not done. */
  late: number;
  /** Σ weight × progress / Σ weight, % one decimal; null without parts. */
  weightedProgress: number | null;
}

export interface TimelinessCounters {
  /** Monthly arrangements and completion reports whose due date has passed, plus any submitted early. */
  due: number;
  submitted: number;
  onTime: number;
  rate: number | null;
}

export interface LogCounters {
  due: number;
  done: number;
  onTime: number;
  rate: number | null;
}

export interface IndicatorCounters {
  learningHours: number;
  learningRecords: number;
  informationPoints: number;
  informationItems: number;
  publicityPoints: number;
  publicityItems: number;
}

export interface StaffResult {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
  divisionName: string;
  score: number;
  grade: Grade;
  /** Rank in the organisation by score (ties broken by TIE_BREAK_RULE). */
  rank: number;
  items: ItemScore[];
  indicators: IndicatorCounters;
  logs: LogCounters;
  /** null when hidden from this viewer. */
  attendance: AttendanceCounters | null;
}

export interface DivisionResult {
  divisionId: string;
  name: string;
  orgId: string;
  people: number;
  score: number;
  /** Rank among the organisation's divisions. */
  rank: number;
  items: ItemScore[];
  tasks: TaskCounters;
  timeliness: TimelinessCounters;
  logs: LogCounters;
  indicators: IndicatorCounters;
  /** Share of recorded days present (出勤率) over the division, 0–1; null with none recorded. */
  attendanceRate: number | null;
  grades: Record<Grade, number>;
}

export interface OrgResult {
  orgId: string;
  name: string;
  shortName: string;
  people: number;
  divisions: number;
  /** Headcount-weighted mean of its divisions' scores. */
  score: number;
  /** Rank among the 20 counties (null for the city bureau). */
  rank: number | null;
  items: ItemScore[];
  tasks: TaskCounters;
  timeliness: TimelinessCounters;
  logs: LogCounters;
  indicators: IndicatorCounters;
  attendanceRate: number | null;
  grades: Record<Grade, number>;
}

/** One indicator fact as the breakdown lists it. */
export interface FactView {
  factId: string;
  kind: IndicatorKind;
  date: string;
  value: number;
  label: string;
  level: string | null;
}

export interface StaffBreakdown extends StaffResult {
  year: number;
  /** The viewer sees every item (self, their organisation's admins, leaders) or the public ones only. */
  full: boolean;
  facts: FactView[];
  /** Division items the staff member's `tasks` item comes from. */
  division: Pick<DivisionResult, "divisionId" | "name" | "tasks" | "score">;
  tieBreakRule: string;
  frozen: boolean;
}

/**
 * bureau: the whole-bureau year-end workbook (counties, every division, every staff member; city-wide
 * roles only); counties: the 20 counties ranked; divisions: one organisation's divisions (or all);
 * staff: one organisation's or division's staff.
 */
export const SUMMARY_TABLES = ["bureau", "counties", "divisions", "staff"] as const;
export type SummaryTable = (typeof SUMMARY_TABLES)[number];

export interface SummaryParams {
  year?: number;
  table: SummaryTable;
  orgId?: string;
  divisionId?: string;
}

// ---------- learning records (网络学习) ----------

/** One record from the learning platform; `recordId` is the platform's own id (idempotent). */
export interface LearningRecordInput {
  recordId: string;
  staffId: string;
  /** YYYY-MM-DD */
  date: string;
  /** Hours (学时), > 0, up to 24. */
  hours: number;
  course: string;
}

export interface LearningRecord extends LearningRecordInput {
  orgId: string;
  divisionId: string;
  version: number;
  updatedAt: string;
}

export interface LearningImportResult {
  created: number;
  updated: number;
  /** Records already held with the same content (a repeated import or push). */
  unchanged: number;
}

/** Columns of the learning platform's export (.xlsx or CSV with this header row). */
export const LEARNING_COLUMNS = {
  recordId: "记录编号",
  staffId: "工号",
  name: "姓名",
  date: "学习日期",
  hours: "学时",
  course: "课程名称",
} as const;

// ---------- rebuild, freeze and snapshots ----------

export interface RebuildResult {
  year: number;
  people: number;
  divisions: number;
  facts: number;
  attendanceDays: number;
  tasks: number;
  submissions: number;
  ms: number;
  /** Time per source: facts, attendance, tasks, submissions, logs, and writing the documents. */
  phasesMs: Record<string, number>;
}

/** What a rebuild job is doing: the sources in the order it reads them, then writing the documents. */
export const REBUILD_PHASES = ["queued", "facts", "attendance", "tasks", "submissions", "logs", "write"] as const;
export type RebuildPhase = (typeof REBUILD_PHASES)[number];
export const REBUILD_PHASE_LABELS: Record<RebuildPhase, string> = {
  queued: "准备",
  facts: "读取指标记录",
  attendance: "读取考勤",
  tasks: "读取年度任务",
  submissions: "读取月度填报",
  logs: "读取日志合规",
  write: "写入计数",
};

/**
 * A background rebuild (重建计数). One runs per year at a time: asking again while it runs returns
 * the same job. A job whose replica stopped (no heartbeat for a minute) reads as "failed".
 */
export interface RebuildJob extends Omit<JobView<RebuildResult>, "key" | "phase"> {
  /** The year rebuilt (the job's key). */
  year: number;
  phase: RebuildPhase;
}

export interface SnapshotMeta {
  year: number;
  /** sha256 of the canonical JSON of `results` (keys sorted, no spaces), hex. */
  hash: string;
  frozenAt: string;
  frozenBy: string | null;
  schemeVersion: number;
  staff: number;
  divisions: number;
  orgs: number;
}

export interface SnapshotResults {
  scheme: SchemeInput;
  orgs: OrgResult[];
  divisions: DivisionResult[];
  staff: StaffResult[];
}

export interface Snapshot extends SnapshotMeta {
  results: SnapshotResults;
}

export interface DiffEntry {
  /** "staff" | "division" | "org" */
  level: "staff" | "division" | "org";
  id: string;
  name: string;
  /** e.g. "score", "grade", "rank", "items.logs" */
  field: string;
  frozen: string | number | null;
  current: string | number | null;
}

export interface SnapshotDiff {
  year: number;
  hash: string;
  /** Hash the results would have if frozen now. */
  currentHash: string;
  same: boolean;
  changes: DiffEntry[];
  /** changes.length before truncation to the first 500. */
  total: number;
}

export interface AssessmentSeedResult {
  seeded: boolean;
  learningRecords?: number;
  rebuild?: RebuildResult;
  ms?: number;
}

// ---------- attendance event (published by personnel, consumed here) ----------

/**
 * Channel `personnel.attendance.changed`: days of attendance written by an entry or an import.
 * `at` (when personnel wrote them) orders writes: a day keeps the status of its newest write, so
 * redelivered or reordered events change nothing. Sent in chunks of at most 1,000 entries.
 */
export interface AttendanceChanged {
  at: string;
  entries: { staffId: string; orgId: string; divisionId: string; date: string; status: AttendanceStatus }[];
}
