/**
 * Scores and grades of a year, from the read model's counters and the year's scheme. Pure.
 *
 * - Each item scores 0–100, rounded to one decimal (how, in `detail`); an item with nothing due
 *   (null) is left out and the other weights count in full.
 * - A total is Σ weight × item score / Σ weight over the items scored, rounded to two decimals.
 * - A division's logs item is scored on its members' summed logs; its attendance and indicator items
 *   are its members' mean item scores; an organisation's items and total are its divisions',
 *   weighted by headcount.
 * - Staff grades: 称职 / 基本称职 / 不称职 by the scheme's score lines; 优秀 for those at or above
 *   the 优秀 line, in ranking order, up to floor(share × assessed staff) per organisation.
 *   Ranking ties are broken by TIE_BREAK_RULE (see `compareStaff`).
 */
import { CITY_ORG_ID } from "../../shared/auth";
import {
  DIVISION_ITEMS,
  GRADES,
  ITEM_LABELS,
  PRIVATE_ITEMS,
  STAFF_ITEMS,
  type DivisionResult,
  type Grade,
  type ItemKey,
  type ItemScore,
  type OrgResult,
  type SchemeInput,
  type StaffResult,
  type TaskCounters,
  type TimelinessCounters,
} from "../../shared/contracts/assessment";
import { attendanceItem, indicatorItem, logsItem, round, tasksItem, timelinessItem, type Raw } from "./items";
import {
  addAttendance,
  addIndicators,
  addLogs,
  addTasks,
  addTimeliness,
  attendanceOf,
  attendanceRate,
  emptyAttendance,
  emptyIndicators,
  indicatorsOf,
  logCounters,
  taskCounters,
  timelinessCounters,
  type LogEntry,
  type PersonDoc,
  type TaskEntry,
  type Versioned,
  type YearDeadlines,
} from "./counters";

export interface OrgRef {
  id: string;
  name: string;
  shortName: string;
  order: number;
}
export interface DivisionRef {
  id: string;
  orgId: string;
  name: string;
  order: number;
  /** Divisions that hand in monthly arrangements and reports (all but the 局领导 group). */
  reports: boolean;
}
export interface StaffRef {
  id: string;
  name: string;
  orgId: string;
  divisionId: string;
}

export interface ScoringInput {
  today: string;
  scheme: SchemeInput;
  orgs: OrgRef[];
  divisions: DivisionRef[];
  /** The staff assessed: active members. */
  staff: StaffRef[];
  people: ReadonlyMap<string, PersonDoc>;
  tasks: Iterable<TaskEntry>;
  /** Submissions of every organisation, keyed as `submissionKey`. */
  subs: Record<string, Versioned>;
  logs: ReadonlyMap<string, LogEntry>;
  deadlines: YearDeadlines;
}

export interface YearResults {
  orgs: OrgResult[];
  divisions: DivisionResult[];
  staff: StaffResult[];
}

/** The items with their weights, and the total: Σ weight × score / Σ weight over scored items. */
export function combine(
  raw: Partial<Record<ItemKey, Raw>>,
  weights: Partial<Record<ItemKey, number>>,
  order: readonly ItemKey[],
): { items: ItemScore[]; score: number } {
  const scored = order.filter((k) => raw[k]?.score !== null && raw[k] && (weights[k] ?? 0) > 0);
  const total = scored.reduce((s, k) => s + (weights[k] ?? 0), 0);
  const items = order.map((k) => {
    const r = raw[k] ?? { score: null, detail: "" };
    const w = weights[k] ?? 0;
    return {
      item: k,
      label: ITEM_LABELS[k],
      weight: w,
      score: r.score,
      points: r.score === null || !total ? null : round((w * r.score) / total, 2),
      detail: r.detail,
      hidden: false,
    };
  });
  const sum = scored.reduce((s, k) => s + (weights[k] ?? 0) * (raw[k]!.score as number), 0);
  return { items, score: total ? round(sum / total, 2) : 0 };
}

const itemScore = (items: ItemScore[], k: ItemKey): number => items.find((i) => i.item === k)?.score ?? -1;

/** TIE_BREAK_RULE: score, then logs, tasks, attendance, information + publicity; then staff id. */
export function compareStaff(a: StaffResult, b: StaffResult): number {
  return (
    b.score - a.score ||
    itemScore(b.items, "logs") - itemScore(a.items, "logs") ||
    itemScore(b.items, "tasks") - itemScore(a.items, "tasks") ||
    itemScore(b.items, "attendance") - itemScore(a.items, "attendance") ||
    itemScore(b.items, "information") +
      itemScore(b.items, "publicity") -
      itemScore(a.items, "information") -
      itemScore(a.items, "publicity") ||
    a.staffId.localeCompare(b.staffId)
  );
}

const compareUnits =
  <T extends { score: number; items: ItemScore[] }>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    b.score - a.score ||
    itemScore(b.items, "logs") - itemScore(a.items, "logs") ||
    itemScore(b.items, "tasks") - itemScore(a.items, "tasks") ||
    key(a).localeCompare(key(b));

export function baseGrade(score: number, s: SchemeInput): Grade {
  if (score >= s.grades.competentMin) return "competent";
  if (score >= s.grades.basicMin) return "basic";
  return "incompetent";
}

/** Ranks an organisation's staff and grades them, 优秀 within the quota. Mutates rank and grade. */
export function gradeOrg(staff: StaffResult[], s: SchemeInput): void {
  staff.sort(compareStaff);
  let quota = Math.floor(s.grades.excellentShare * staff.length + 1e-9);
  staff.forEach((p, i) => {
    p.rank = i + 1;
    p.grade = baseGrade(p.score, s);
    if (quota > 0 && p.score >= s.grades.excellentMin) {
      p.grade = "excellent";
      quota--;
    }
  });
}

function groupInto<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const emptyGrades = (): Record<Grade, number> => Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? round(v.reduce((a, b) => a + b, 0) / v.length, 1) : null;
};
const weightedMean = (xs: { v: number | null; w: number }[], digits = 1): number | null => {
  const v = xs.filter((x) => x.v !== null && x.w > 0);
  const w = v.reduce((a, x) => a + x.w, 0);
  return w ? round(v.reduce((a, x) => a + (x.v as number) * x.w, 0) / w, digits) : null;
};

export function computeYear(input: ScoringInput): YearResults {
  const { scheme } = input;
  // Each division's tasks, indexed once (a scan per division would grow with divisions × tasks).
  const tasksOf = new Map<string, TaskEntry[]>();
  for (const t of input.tasks) for (const d of new Set(t.parts.map((p) => p.d))) groupInto(tasksOf, d, t);
  const divisionsById = new Map(input.divisions.map((d) => [d.id, d]));
  const members = new Map<string, StaffRef[]>();
  for (const p of input.staff) {
    if (!divisionsById.has(p.divisionId)) continue;
    const list = members.get(p.divisionId) ?? [];
    list.push(p);
    members.set(p.divisionId, list);
  }

  // Division task items first: a staff member's tasks item is their division's.
  const divisionTasks = new Map(
    input.divisions.map((d) => [
      d.id,
      taskCounters(tasksOf.get(d.id) ?? [], d.id, input.today, scheme.rules.delayedCredit),
    ]),
  );

  const staff: StaffResult[] = [];
  for (const p of input.staff) {
    const division = divisionsById.get(p.divisionId);
    if (!division) continue;
    const doc = input.people.get(p.id);
    const indicators = indicatorsOf(doc?.facts ?? {});
    const attendance = attendanceOf(doc?.months ?? {});
    const log = input.logs.get(p.id);
    const logs = logCounters(log?.due ?? 0, log?.done ?? 0, log?.onTime ?? 0);
    const raw: Partial<Record<ItemKey, Raw>> = {
      tasks: tasksItem(divisionTasks.get(division.id)!, scheme),
      logs: logsItem(logs, scheme),
      attendance: attendanceItem(attendance, scheme),
      learning: indicatorItem(indicators.learningHours, scheme.rules.learningHours, "学时", indicators.learningRecords),
      information: indicatorItem(
        indicators.informationPoints,
        scheme.rules.informationPoints,
        "分",
        indicators.informationItems,
      ),
      publicity: indicatorItem(
        indicators.publicityPoints,
        scheme.rules.publicityPoints,
        "分",
        indicators.publicityItems,
      ),
    };
    const { items, score } = combine(raw, scheme.staffWeights, STAFF_ITEMS);
    staff.push({
      staffId: p.id,
      name: p.name,
      orgId: p.orgId,
      divisionId: p.divisionId,
      divisionName: division.name,
      score,
      grade: "competent",
      rank: 0,
      items,
      indicators,
      logs,
      attendance,
    });
  }
  const staffByOrg = new Map<string, StaffResult[]>();
  for (const s of staff) groupInto(staffByOrg, s.orgId, s);
  for (const list of staffByOrg.values()) gradeOrg(list, scheme);
  const staffById = new Map(staff.map((s) => [s.staffId, s]));

  const divisions: DivisionResult[] = [];
  for (const d of input.divisions) {
    const people = (members.get(d.id) ?? []).map((m) => staffById.get(m.id)!);
    const t = divisionTasks.get(d.id)!;
    if (!people.length && !t.parts) continue;
    const timeliness = d.reports ? timelinessCounters(input.subs, d.id, input.deadlines, input.today) : NO_SUBMISSIONS;
    const logs = people.reduce((a, p) => addLogs(a, p.logs), logCounters(0, 0, 0));
    const attendance = people.reduce((a, p) => addAttendance(a, p.attendance!), emptyAttendance());
    const indicators = people.reduce((a, p) => addIndicators(a, p.indicators), emptyIndicators());
    const meanOf = (k: ItemKey, what: string): Raw => {
      const v = mean(people.map((p) => p.items.find((i) => i.item === k)!.score));
      return { score: v, detail: v === null ? "无可计分人员" : `${people.length} 人${what}得分的平均值` };
    };
    const raw: Partial<Record<ItemKey, Raw>> = {
      tasks: tasksItem(t, scheme),
      timeliness: d.reports ? timelinessItem(timeliness) : { score: null, detail: "不参与月度填报" },
      logs: logsItem(logs, scheme),
      attendance: meanOf("attendance", "出勤"),
      learning: meanOf("learning", "网络学习"),
      information: meanOf("information", "信息报送"),
      publicity: meanOf("publicity", "宣传"),
    };
    const { items, score } = combine(raw, scheme.divisionWeights, DIVISION_ITEMS);
    const grades = emptyGrades();
    for (const p of people) grades[p.grade]++;
    const { credit: _credit, ...tasksOut } = t;
    divisions.push({
      divisionId: d.id,
      name: d.name,
      orgId: d.orgId,
      people: people.length,
      score,
      rank: 0,
      items,
      tasks: tasksOut,
      timeliness,
      logs,
      indicators,
      attendanceRate: attendanceRate(attendance),
      grades,
    });
  }
  const divisionsByOrg = new Map<string, DivisionResult[]>();
  for (const d of divisions) groupInto(divisionsByOrg, d.orgId, d);
  for (const list of divisionsByOrg.values())
    list.sort(compareUnits((x: DivisionResult) => x.divisionId)).forEach((d, i) => (d.rank = i + 1));

  const orgs: OrgResult[] = [];
  for (const o of [...input.orgs].sort((a, b) => a.order - b.order)) {
    const ds = divisionsByOrg.get(o.id) ?? [];
    const people = ds.reduce((a, d) => a + d.people, 0);
    const w = (d: DivisionResult): number => (people ? d.people : 1);
    const items: ItemScore[] = DIVISION_ITEMS.map((k) => ({
      item: k,
      label: ITEM_LABELS[k],
      weight: scheme.divisionWeights[k],
      score: weightedMean(ds.map((d) => ({ v: d.items.find((i) => i.item === k)!.score, w: w(d) }))),
      points: null,
      detail: "各处室该项得分按人数加权平均",
      hidden: false,
    }));
    const tasksSum = ds.reduce((a, d) => addTasks(a, d.tasks), emptyTasks());
    tasksSum.weightedProgress = weightedMean(ds.map((d) => ({ v: d.tasks.weightedProgress, w: d.tasks.parts })));
    const grades = emptyGrades();
    for (const d of ds) for (const g of GRADES) grades[g] += d.grades[g];
    const attendance = (staffByOrg.get(o.id) ?? []).reduce(
      (a, p) => addAttendance(a, p.attendance!),
      emptyAttendance(),
    );
    orgs.push({
      orgId: o.id,
      name: o.name,
      shortName: o.shortName,
      people,
      divisions: ds.length,
      score:
        weightedMean(
          ds.map((d) => ({ v: d.score, w: w(d) })),
          2,
        ) ?? 0,
      rank: null,
      items,
      tasks: tasksSum,
      timeliness: ds.reduce<TimelinessCounters>((a, d) => addTimeliness(a, d.timeliness), NO_SUBMISSIONS),
      logs: ds.reduce((a, d) => addLogs(a, d.logs), logCounters(0, 0, 0)),
      indicators: ds.reduce((a, d) => addIndicators(a, d.indicators), emptyIndicators()),
      attendanceRate: attendanceRate(attendance),
      grades,
    });
  }
  const counties = orgs.filter((o) => o.orgId !== CITY_ORG_ID);
  [...counties].sort(compareUnits((x: OrgResult) => x.orgId)).forEach((o, i) => (o.rank = i + 1));
  return { orgs, divisions, staff };
}

const NO_SUBMISSIONS: TimelinessCounters = { due: 0, submitted: 0, onTime: 0, rate: null };

const emptyTasks = (): TaskCounters => ({
  parts: 0,
  done: 0,
  inProgress: 0,
  delayed: 0,
  notStarted: 0,
  late: 0,
  weightedProgress: null,
});

/** What someone else sees of a staff member: private items (attendance) hidden. */
export function redact(s: StaffResult): StaffResult {
  return {
    ...s,
    attendance: null,
    items: s.items.map((i) =>
      PRIVATE_ITEMS.includes(i.item)
        ? { ...i, score: null, points: null, detail: "仅本人、本单位管理员和局领导可见", hidden: true }
        : i,
    ),
  };
}
