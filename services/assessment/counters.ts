/**
 * The stored read model and the counters derived from it. Every entry is keyed by its source id
 * and carries the source's version, so a repeated or reordered event changes nothing; totals are
 * always derived from the entries, never incremented.
 */
import type {
  AttendanceChanged,
  AttendanceCounters,
  IndicatorCounters,
  IndicatorFact,
  IndicatorKind,
  LogCounters,
  TaskCounters,
  TimelinessCounters,
} from "../../shared/contracts/assessment";
import type { AttendanceStatus } from "../../shared/contracts/personnel";
import type { ProgressStatus, TaskChanged } from "../../shared/contracts/plans";

import type { Versioned } from "../../shared/store/entry-writer";

export type { Versioned };

/** One indicator fact: kind, date, value (points or hours), label, level. `x` 0 is a retraction. */
export interface FactEntry extends Versioned {
  k: IndicatorKind;
  d: string;
  x: number;
  l: string;
  lv: string | null;
}

/** One attendance day (key "DD") of an `AttendanceMonthDoc`; `v` is the time personnel wrote it. */
export interface DayEntry extends Versioned {
  s: AttendanceStatus;
}

/**
 * One person's attendance days of one month (`attendance_months`). Read only to recount that month
 * when one of its days changes (and emptied by a rebuild), never by a summary.
 */
export interface AttendanceMonthDoc {
  _id: string;
  staffId: string;
  year: number;
  month: number;
  days: Record<string, DayEntry>;
}

/**
 * A month's attendance as the person document keeps it (key "MM"): days per status, zeros left
 * out. `v` is the sum of the month's day versions: every accepted day write raises it, so the
 * newest recount wins whatever order recounts land in, and a repeated one changes nothing.
 */
export interface MonthCount extends Versioned {
  n: Partial<Record<AttendanceStatus, number>>;
}

/** One per (staff member, year): indicator facts and attendance counters per month; a few hundred bytes. */
export interface PersonDoc {
  _id: string;
  staffId: string;
  year: number;
  facts: Record<string, FactEntry>;
  months: Record<string, MonthCount>;
}

/**
 * A task as its participants' parts stand (key: task id); `ok` 1 once HR approved it. Plans keeps
 * the task's version on approval and progress moves, so `v` is the time of the event that set it.
 */
export interface TaskEntry extends Versioned {
  w: number;
  due: string;
  ok: 0 | 1;
  parts: { d: string; st: ProgressStatus; p: number }[];
}

/** A monthly submission (key "<divisionId>|a|MM" arrangement, "<divisionId>|c|MM" completion). */
export interface SubmissionEntry extends Versioned {
  late: 0 | 1;
}

/** A person's log compliance for the year as worklog computes it (key: staff id); `v` = refresh time. */
export interface LogEntry extends Versioned {
  due: number;
  done: number;
  onTime: number;
}

export type OrgYearKind = "tasks" | "subs" | "logs";

export interface OrgYearDoc {
  _id: string;
  kind: OrgYearKind;
  year: number;
  orgId: string;
  entries: Record<string, Versioned>;
}

export const personDocId = (staffId: string, year: number): string => `${staffId}|${year}`;
export const monthKey = (month: number): string => String(month).padStart(2, "0");
export const attendanceMonthId = (staffId: string, year: number, month: number): string =>
  `${staffId}|${year}|${monthKey(month)}`;
export const orgYearId = (kind: OrgYearKind, year: number, orgId: string): string => `${kind}|${year}|${orgId}`;
export const submissionKey = (divisionId: string, kind: "arrangement" | "completion", month: number): string =>
  `${divisionId}|${kind === "arrangement" ? "a" : "c"}|${String(month).padStart(2, "0")}`;
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** Map keys may not hold "." or start with "$" (MongoDB and FerretDB): escape them reversibly. */
export const encodeKey = (s: string): string => s.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
export const decodeKey = (s: string): string =>
  s.replace(/%(2e|24|25)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export const factEntry = (f: IndicatorFact): FactEntry => ({
  k: f.kind,
  v: f.version,
  d: f.date,
  x: f.value,
  l: f.label,
  lv: f.level,
});

/** An attendance event's days, grouped by (person, month) document. */
export function attendanceMonths(
  e: AttendanceChanged,
): { docId: string; staffId: string; year: number; month: number; days: { key: string; entry: DayEntry }[] }[] {
  const v = Date.parse(e.at);
  const out = new Map<string, ReturnType<typeof attendanceMonths>[number]>();
  for (const x of e.entries) {
    const year = yearOf(x.date);
    const month = Number(x.date.slice(5, 7));
    const docId = attendanceMonthId(x.staffId, year, month);
    let g = out.get(docId);
    if (!g) out.set(docId, (g = { docId, staffId: x.staffId, year, month, days: [] }));
    g.days.push({ key: x.date.slice(8, 10), entry: { s: x.status, v } });
  }
  return [...out.values()];
}

/** A month's counters from its days. */
export function monthCount(days: Record<string, DayEntry>): MonthCount {
  const n: MonthCount["n"] = {};
  let v = 0;
  for (const d of Object.values(days)) {
    n[d.s] = (n[d.s] ?? 0) + 1;
    v += d.v;
  }
  return { v, n };
}

export const taskEntry = (at: number, t: Pick<TaskChanged, "weight" | "dueDate" | "state" | "parts">): TaskEntry => ({
  v: at,
  w: t.weight,
  due: t.dueDate,
  ok: t.state === "approved" ? 1 : 0,
  parts: t.parts.map((p) => ({ d: p.divisionId, st: p.status, p: p.progress })),
});

// ---------- derived counters ----------

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const ratio = (num: number, den: number): number | null => (den ? round(num / den, 4) : null);

export const emptyIndicators = (): IndicatorCounters => ({
  learningHours: 0,
  learningRecords: 0,
  informationPoints: 0,
  informationItems: 0,
  publicityPoints: 0,
  publicityItems: 0,
});

export function addIndicators(a: IndicatorCounters, b: IndicatorCounters): IndicatorCounters {
  const out = emptyIndicators();
  for (const k of Object.keys(out) as (keyof IndicatorCounters)[]) out[k] = round(a[k] + b[k], 2);
  return out;
}

export function indicatorsOf(facts: Record<string, FactEntry>): IndicatorCounters {
  const c = emptyIndicators();
  for (const f of Object.values(facts)) {
    if (f.x <= 0) continue;
    if (f.k === "learning") {
      c.learningHours += f.x;
      c.learningRecords++;
    } else if (f.k === "information") {
      c.informationPoints += f.x;
      c.informationItems++;
    } else {
      c.publicityPoints += f.x;
      c.publicityItems++;
    }
  }
  c.learningHours = round(c.learningHours, 2);
  c.informationPoints = round(c.informationPoints, 2);
  c.publicityPoints = round(c.publicityPoints, 2);
  return c;
}

export const emptyAttendance = (): AttendanceCounters => ({
  recorded: 0,
  present: 0,
  absent: 0,
  leavePersonal: 0,
  leaveSick: 0,
  leaveAnnual: 0,
  businessTrip: 0,
  training: 0,
});

const ATTENDANCE_FIELD: Record<AttendanceStatus, keyof AttendanceCounters> = {
  present: "present",
  absent: "absent",
  leave_personal: "leavePersonal",
  leave_sick: "leaveSick",
  leave_annual: "leaveAnnual",
  business_trip: "businessTrip",
  training: "training",
};

export function attendanceOf(months: Record<string, MonthCount>): AttendanceCounters {
  const c = emptyAttendance();
  for (const m of Object.values(months))
    for (const [status, days] of Object.entries(m.n) as [AttendanceStatus, number][]) {
      c.recorded += days;
      c[ATTENDANCE_FIELD[status]] += days;
    }
  return c;
}

export function addAttendance(a: AttendanceCounters, b: AttendanceCounters): AttendanceCounters {
  const out = emptyAttendance();
  for (const k of Object.keys(out) as (keyof AttendanceCounters)[]) out[k] = a[k] + b[k];
  return out;
}

/** Days at work or on work elsewhere (present, business trip, training) of the days recorded. */
export const attendanceRate = (a: AttendanceCounters): number | null =>
  ratio(a.present + a.businessTrip + a.training, a.recorded);

export const logCounters = (due: number, done: number, onTime: number): LogCounters => ({
  due,
  done,
  onTime,
  rate: ratio(done, due),
});

export const addLogs = (a: LogCounters, b: LogCounters): LogCounters =>
  logCounters(a.due + b.due, a.done + b.done, a.onTime + b.onTime);

/** A division's parts in the year's approved tasks; `credit` is the scheme's share for delayed parts. */
export function taskCounters(
  tasks: Iterable<TaskEntry>,
  divisionId: string,
  today: string,
  delayedCredit: number,
): TaskCounters & { credit: number | null } {
  const c: TaskCounters = {
    parts: 0,
    done: 0,
    inProgress: 0,
    delayed: 0,
    notStarted: 0,
    late: 0,
    weightedProgress: null,
  };
  let w = 0;
  let wp = 0;
  let wc = 0;
  for (const t of tasks) {
    if (!t.ok) continue;
    for (const p of t.parts) {
      if (p.d !== divisionId) continue;
      c.parts++;
      if (p.st === "done") c.done++;
      else if (p.st === "in_progress") c.inProgress++;
      else if (p.st === "delayed") c.delayed++;
      else c.notStarted++;
      if (p.st !== "done" && t.due < today) c.late++;
      const progress = p.st === "done" ? 100 : p.p;
      w += t.w;
      wp += t.w * progress;
      wc += t.w * (p.st === "delayed" ? progress * delayedCredit : progress);
    }
  }
  c.weightedProgress = w ? round(wp / w, 1) : null;
  return { ...c, credit: w ? wc / w : null };
}

export const addTasks = (a: TaskCounters, b: TaskCounters): TaskCounters => ({
  parts: a.parts + b.parts,
  done: a.done + b.done,
  inProgress: a.inProgress + b.inProgress,
  delayed: a.delayed + b.delayed,
  notStarted: a.notStarted + b.notStarted,
  late: a.late + b.late,
  weightedProgress: null,
});

/** Due dates of the year's monthly arrangements and completion reports (index 0 = January). */
export interface YearDeadlines {
  arrangement: string[];
  completion: string[];
}

/**
 * A division's monthly reporting: a month's arrangement or report counts as due once its due
 * date has passed (or when it was submitted early); on time when submitted by the due date.
 */
export function timelinessCounters(
  subs: Record<string, Versioned>,
  divisionId: string,
  deadlines: YearDeadlines,
  today: string,
): TimelinessCounters {
  let due = 0;
  let submitted = 0;
  let onTime = 0;
  for (const kind of ["arrangement", "completion"] as const)
    deadlines[kind].forEach((dueDate, i) => {
      const s = subs[submissionKey(divisionId, kind, i + 1)] as SubmissionEntry | undefined;
      if (!s && dueDate >= today) return;
      due++;
      if (s) submitted++;
      if (s && !s.late) onTime++;
    });
  return { due, submitted, onTime, rate: ratio(onTime, due) };
}

export const addTimeliness = (a: TimelinessCounters, b: TimelinessCounters): TimelinessCounters => ({
  due: a.due + b.due,
  submitted: a.submitted + b.submitted,
  onTime: a.onTime + b.onTime,
  rate: ratio(a.onTime + b.onTime, a.due + b.due),
});
