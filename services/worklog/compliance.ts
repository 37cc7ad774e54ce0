/**
 * Compliance from per-(subject, date) facts: which units of a rule (working days, or ISO weeks that
 * have a working day) were due by now, which were met, and who is overdue. Pure, so it is unit-tested
 * with a fixed "now"; the service feeds it one query's worth of facts.
 */
import { addDays, weekStart, type WorkCalendar } from "../../shared/calendar";
import type {
  CountyRank,
  GroupRate,
  LogPolicy,
  OverdueItem,
  PersonRate,
  PersonalRule,
  RateRow,
} from "../../shared/contracts/worklog";
import { dueInstant } from "./rules";

export interface Fact {
  kind: "personal" | "org";
  subject: string;
  date: string;
  count: number;
  onTime: number;
}

export interface Person {
  id: string;
  name: string;
  orgId: string;
  divisionId: string;
}

export type Policy = Pick<LogPolicy, "orgId" | "personal" | "orgLogWeekly" | "deadline" | "graceMinutes">;

/** One thing a rule asks for: a working day, or a week (keyed by its Monday). */
export interface Unit {
  key: string;
  first: string;
  last: string;
  due: Date;
}

/** The units of a rule whose period overlaps [from, to]. */
export function units(
  rule: PersonalRule | "orgWeekly",
  from: string,
  to: string,
  cal: WorkCalendar,
  policy: Policy,
): Unit[] {
  if (rule === "optional") return [];
  if (rule === "daily")
    return cal.workingDays(from, to).map((d) => ({ key: d, first: d, last: d, due: dueInstant(d, policy) }));
  const out: Unit[] = [];
  for (let monday = weekStart(from); monday <= to; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    const working = cal.workingDays(monday, sunday);
    if (!working.length) continue; // a week entirely of holidays asks for nothing
    out.push({ key: monday, first: monday, last: sunday, due: dueInstant(working[working.length - 1], policy) });
  }
  return out;
}

/** Facts indexed by subject: the dates with a published log, and those published on time. */
export class FactIndex {
  private readonly done = new Map<string, Set<string>>();
  private readonly onTime = new Map<string, Set<string>>();
  /** Each set's dates in order, made on first use, for units of several days (weeks). */
  private readonly sorted = new Map<Set<string>, string[]>();

  constructor(facts: Iterable<Fact>) {
    for (const f of facts) {
      if (f.count <= 0) continue;
      const key = `${f.kind}|${f.subject}`;
      if (!this.done.has(key)) this.done.set(key, new Set());
      this.done.get(key)!.add(f.date);
      if (f.onTime > 0) {
        if (!this.onTime.has(key)) this.onTime.set(key, new Set());
        this.onTime.get(key)!.add(f.date);
      }
    }
  }

  /** Whether the subject has a log for the unit; `onTime` asks for one published by its deadline. */
  met(kind: Fact["kind"], subject: string, unit: Unit, onTime = false): boolean {
    const set = (onTime ? this.onTime : this.done).get(`${kind}|${subject}`);
    if (!set) return false;
    if (unit.first === unit.last) return set.has(unit.first);
    // The first date on or after the unit's first day, by binary search (stepping through the days
    // with addDays was most of a year's report: assessment asks for one per organisation and burst).
    let days = this.sorted.get(set);
    if (!days) this.sorted.set(set, (days = [...set].sort()));
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid] < unit.first) lo = mid + 1;
      else hi = mid;
    }
    return lo < days.length && days[lo] <= unit.last;
  }
}

const rate = (due: number, done: number, onTime: number): RateRow => ({
  due,
  done,
  onTime,
  rate: due ? Math.round((done / due) * 10_000) / 10_000 : null,
});

/** Scores one subject against its units: a unit counts once it is due by `now`, or met early. */
export function scoreUnits(index: FactIndex, kind: Fact["kind"], subject: string, us: Unit[], now: Date): RateRow {
  let due = 0;
  let done = 0;
  let onTime = 0;
  for (const u of us) {
    const met = index.met(kind, subject, u);
    if (!met && u.due > now) continue;
    due++;
    if (met) done++;
    if (met && index.met(kind, subject, u, true)) onTime++;
  }
  return rate(due, done, onTime);
}

const sum = (rows: RateRow[]): RateRow =>
  rate(
    rows.reduce((s, r) => s + r.due, 0),
    rows.reduce((s, r) => s + r.done, 0),
    rows.reduce((s, r) => s + r.onTime, 0),
  );

export interface ComplianceInput {
  from: string;
  to: string;
  now: Date;
  cal: WorkCalendar;
  people: Person[];
  policies: Map<string, Policy>;
  facts: Fact[];
  /** Organisations ranked against each other (the 20 counties). */
  counties: string[];
}

export function computeRates(input: ComplianceInput): {
  people: PersonRate[];
  divisions: GroupRate[];
  orgs: GroupRate[];
  orgLog: Map<string, RateRow>;
} {
  const index = new FactIndex(input.facts);
  const unitCache = new Map<string, Unit[]>();
  const unitsFor = (rule: PersonalRule | "orgWeekly", policy: Policy): Unit[] => {
    const key = `${rule}|${policy.deadline}|${policy.graceMinutes}`;
    if (!unitCache.has(key)) unitCache.set(key, units(rule, input.from, input.to, input.cal, policy));
    return unitCache.get(key)!;
  };
  const people: PersonRate[] = input.people.map((p) => {
    const policy = input.policies.get(p.orgId)!;
    const r = scoreUnits(index, "personal", p.id, unitsFor(policy.personal, policy), input.now);
    return { staffId: p.id, name: p.name, orgId: p.orgId, divisionId: p.divisionId, rule: policy.personal, ...r };
  });
  const group = (key: (p: PersonRate) => string): GroupRate[] => {
    const by = new Map<string, PersonRate[]>();
    for (const p of people) {
      const k = key(p);
      if (!by.has(k)) by.set(k, []);
      by.get(k)!.push(p);
    }
    return [...by].map(([id, rows]) => ({ id, people: rows.length, ...sum(rows) }));
  };
  const orgLog = new Map<string, RateRow>();
  for (const [orgId, policy] of input.policies) {
    if (!policy.orgLogWeekly) continue;
    orgLog.set(orgId, scoreUnits(index, "org", orgId, unitsFor("orgWeekly", policy), input.now));
  }
  return { people, divisions: group((p) => p.divisionId), orgs: group((p) => p.orgId), orgLog };
}

const byRate = (a: RateRow, b: RateRow): number => (b.rate ?? -1) - (a.rate ?? -1);

/** The counties ranked on the weekly organisation-log rule and on personal-log rates. */
export function rankCounties(
  counties: string[],
  orgs: GroupRate[],
  orgLog: Map<string, RateRow>,
): { orgLog: CountyRank[]; personal: CountyRank[] } {
  const personalOf = new Map(orgs.map((o) => [o.id, o as RateRow]));
  const rows = counties.map((orgId) => ({
    orgId,
    orgLog: orgLog.get(orgId) ?? rate(0, 0, 0),
    personal: personalOf.get(orgId) ?? rate(0, 0, 0),
  }));
  const ranked = (cmp: (a: (typeof rows)[0], b: (typeof rows)[0]) => number): CountyRank[] =>
    [...rows].sort((a, b) => cmp(a, b) || a.orgId.localeCompare(b.orgId)).map((r, i) => ({ rank: i + 1, ...r }));
  return {
    orgLog: ranked((a, b) => byRate(a.orgLog, b.orgLog) || byRate(a.personal, b.personal)),
    personal: ranked((a, b) => byRate(a.personal, b.personal) || byRate(a.orgLog, b.orgLog)),
  };
}

/** Who is overdue at `now`: the current run of missed units, looking back from the latest one due. */
export function overdue(input: {
  now: Date;
  today: string;
  lookbackDays: number;
  cal: WorkCalendar;
  people: Person[];
  policies: Map<string, Policy>;
  orgNames: Map<string, string>;
  facts: Fact[];
}): OverdueItem[] {
  const index = new FactIndex(input.facts);
  const from = addDays(input.today, -input.lookbackDays);
  const out: OverdueItem[] = [];
  const run = (kind: Fact["kind"], subject: string, us: Unit[]): { first: Unit; missed: number } | null => {
    let first: Unit | null = null;
    let missed = 0;
    for (let i = us.length - 1; i >= 0; i--) {
      const u = us[i];
      if (u.due > input.now) continue;
      if (index.met(kind, subject, u)) break;
      first = u;
      missed++;
    }
    return first ? { first, missed } : null;
  };
  const cache = new Map<string, Unit[]>();
  const unitsFor = (rule: PersonalRule | "orgWeekly", policy: Policy): Unit[] => {
    const key = `${rule}|${policy.orgId}`;
    if (!cache.has(key)) cache.set(key, units(rule, from, input.today, input.cal, policy));
    return cache.get(key)!;
  };
  for (const p of input.people) {
    const policy = input.policies.get(p.orgId)!;
    const r = run("personal", p.id, unitsFor(policy.personal, policy));
    if (r)
      out.push({
        kind: "personal",
        staffId: p.id,
        name: p.name,
        orgId: p.orgId,
        divisionId: p.divisionId,
        rule: policy.personal,
        missingSince: r.first.first,
        overdueSince: r.first.due.toISOString(),
        missed: r.missed,
      });
  }
  for (const [orgId, policy] of input.policies) {
    if (!policy.orgLogWeekly) continue;
    const r = run("org", orgId, unitsFor("orgWeekly", policy));
    if (r)
      out.push({
        kind: "org",
        staffId: null,
        name: input.orgNames.get(orgId) ?? orgId,
        orgId,
        divisionId: null,
        rule: "orgWeekly",
        missingSince: r.first.first,
        overdueSince: r.first.due.toISOString(),
        missed: r.missed,
      });
  }
  return out.sort((a, b) => a.overdueSince.localeCompare(b.overdueSince) || a.orgId.localeCompare(b.orgId));
}
