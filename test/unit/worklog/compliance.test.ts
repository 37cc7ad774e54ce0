import { WorkCalendar } from "../../../shared/calendar";
import {
  computeRates,
  overdue,
  rankCounties,
  units,
  type Fact,
  type Person,
  type Policy,
} from "../../../services/worklog/compliance";

const cal = new WorkCalendar();
const policy = (orgId: string, personal: Policy["personal"], orgLogWeekly = false): Policy => ({
  orgId,
  personal,
  orgLogWeekly,
  deadline: "18:00",
  graceMinutes: 60,
});
const fact = (subject: string, date: string, onTime = 1, kind: Fact["kind"] = "personal"): Fact => ({
  kind,
  subject,
  date,
  count: 1,
  onTime,
});
// 2026 Spring Festival: 15–23 Feb off, Saturday 14 and 28 Feb are make-up working days.
const BEFORE = ["2026-02-09", "2026-02-10", "2026-02-11", "2026-02-12", "2026-02-13"];
const AFTER = ["2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"];
const people: Person[] = [
  { id: "s1", name: "甲", orgId: "zhangbei", divisionId: "d1" },
  { id: "s2", name: "乙", orgId: "zhangbei", divisionId: "d1" },
  { id: "s3", name: "丙", orgId: "zhangbei", divisionId: "d2" },
];

describe("compliance across the 2026 Spring Festival", () => {
  test("when the daily rule spans the holiday, then only the 11 working days (with both make-up Saturdays) are due", () => {
    const u = units("daily", "2026-02-09", "2026-03-01", cal, policy("x", "daily"));
    expect(u.map((x) => x.key)).toEqual([...BEFORE, "2026-02-14", ...AFTER, "2026-02-28"]);
  });

  test("when the weekly rule spans the holiday, then the all-holiday week asks for nothing and the others are due on their last working day", () => {
    const u = units("weekly", "2026-02-09", "2026-03-01", cal, policy("x", "weekly"));
    expect(u.map((x) => x.key)).toEqual(["2026-02-09", "2026-02-23"]);
    // Due at the make-up Saturday's deadline + grace: 19:00 local = 11:00 UTC.
    expect(u.map((x) => x.due.toISOString())).toEqual(["2026-02-14T11:00:00.000Z", "2026-02-28T11:00:00.000Z"]);
  });

  test("when people log on some working days, then person, division and organisation rates count due and done days", () => {
    const facts = [
      ...[...BEFORE, "2026-02-14", ...AFTER, "2026-02-28"].map((d) => fact("s1", d)),
      ...[...BEFORE, ...AFTER].map((d) => fact("s2", d, d === "2026-02-09" ? 0 : 1)),
      fact("s3", "2026-02-17"), // a holiday: counts for nothing
    ];
    const r = computeRates({
      from: "2026-02-09",
      to: "2026-03-01",
      now: new Date("2026-03-02T04:00:00Z"),
      cal,
      people,
      policies: new Map([["zhangbei", policy("zhangbei", "daily")]]),
      facts,
      counties: [],
    });
    const byId = new Map(r.people.map((p) => [p.staffId, p]));
    expect(byId.get("s1")).toMatchObject({ due: 11, done: 11, onTime: 11, rate: 1 });
    expect(byId.get("s2")).toMatchObject({ due: 11, done: 9, onTime: 8, rate: 0.8182 });
    expect(byId.get("s3")).toMatchObject({ due: 11, done: 0, rate: 0 });
    expect(r.divisions.find((d) => d.id === "d1")).toMatchObject({ people: 2, due: 22, done: 20, rate: 0.9091 });
    expect(r.orgs).toEqual([{ id: "zhangbei", people: 3, due: 33, done: 20, onTime: 19, rate: 0.6061 }]);
  });

  test("when the period is still running, then days not yet due and not logged are left out", () => {
    const r = computeRates({
      from: "2026-02-23",
      to: "2026-03-01",
      // Thursday 26 Feb, 12:00 local: 24 and 25 are due, 26 is not yet.
      now: new Date("2026-02-26T04:00:00Z"),
      cal,
      people: [people[0]],
      policies: new Map([["zhangbei", policy("zhangbei", "daily")]]),
      facts: [fact("s1", "2026-02-24"), fact("s1", "2026-02-26")],
      counties: [],
    });
    expect(r.people[0]).toMatchObject({ due: 3, done: 2 });
  });

  test("when counties publish weekly organisation logs unevenly, then they are ranked on that rule and on personal rates", () => {
    const policies = new Map([
      ["a", policy("a", "weekly", true)],
      ["b", policy("b", "weekly", true)],
    ]);
    const ps: Person[] = [
      { id: "pa", name: "A", orgId: "a", divisionId: "a1" },
      { id: "pb", name: "B", orgId: "b", divisionId: "b1" },
    ];
    const r = computeRates({
      from: "2026-02-09",
      to: "2026-03-01",
      now: new Date("2026-03-02T04:00:00Z"),
      cal,
      people: ps,
      policies,
      facts: [
        fact("a", "2026-02-13", 1, "org"),
        fact("a", "2026-02-27", 1, "org"),
        fact("b", "2026-02-18", 1, "org"), // in the all-holiday week: meets nothing that was due
        fact("pb", "2026-02-10"),
        fact("pb", "2026-02-25"),
        fact("pa", "2026-02-25"),
      ],
      counties: ["a", "b"],
    });
    const rank = rankCounties(["a", "b"], r.orgs, r.orgLog);
    expect(rank.orgLog.map((x) => [x.orgId, x.orgLog.done, x.orgLog.due])).toEqual([
      ["a", 2, 2],
      ["b", 0, 2],
    ]);
    expect(rank.personal.map((x) => [x.rank, x.orgId, x.personal.rate])).toEqual([
      [1, "b", 1],
      [2, "a", 0.5],
    ]);
  });

  test("when someone missed the working days since before the holiday, then they are overdue since the first miss", () => {
    const list = overdue({
      now: new Date("2026-02-26T12:00:00Z"), // 20:00 local, after 25 Feb's deadline
      today: "2026-02-26",
      lookbackDays: 42,
      cal,
      people: people.slice(0, 2),
      policies: new Map([["zhangbei", policy("zhangbei", "daily", true)]]),
      orgNames: new Map([["zhangbei", "张北县财政局"]]),
      facts: [
        ...["2026-02-12", "2026-02-24", "2026-02-25", "2026-02-26"].map((d) => fact("s1", d)),
        ...["2026-02-12"].map((d) => fact("s2", d)),
        fact("zhangbei", "2026-02-13", 1, "org"),
      ],
    });
    // s1 is up to date. s2 missed 13, 14 (make-up Saturday), 24, 25 and today (26, due 19:00 = 11:00 UTC).
    expect(list.map((o) => [o.kind, o.staffId, o.missingSince, o.missed])).toEqual([
      ["personal", "s2", "2026-02-13", 5],
    ]);
    expect(list[0].overdueSince).toBe("2026-02-13T11:00:00.000Z");
  });
});
