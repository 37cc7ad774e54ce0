import type { StaffResult } from "../../../shared/contracts/assessment";
import {
  monthCount,
  submissionKey,
  type DayEntry,
  type PersonDoc,
  type TaskEntry,
} from "../../../services/assessment/counters";
import { DEFAULT_SCHEME } from "../../../services/assessment/scheme";
import { computeYear, gradeOrg, redact } from "../../../services/assessment/scoring";

/** One person in one division, every number chosen so the arithmetic is easy to follow by hand. */
function smallCase() {
  const days: Record<string, DayEntry> = {};
  for (let i = 1; i <= 20; i++) days[String(i).padStart(2, "0")] = { s: i <= 2 ? "leave_personal" : "present", v: 1 };
  const person: PersonDoc = {
    _id: "s-1|2026",
    staffId: "s-1",
    year: 2026,
    facts: {
      "learn:a": { k: "learning", v: 1, d: "2026-02-01", x: 25, l: "课程一", lv: null },
      "learn:b": { k: "learning", v: 1, d: "2026-02-02", x: 15, l: "课程二", lv: null },
      "info:1": { k: "information", v: 2, d: "2026-03-01", x: 7, l: "专报", lv: "province" },
      "info:2": { k: "information", v: 3, d: "2026-03-01", x: 0, l: "撤回的专报", lv: "city" },
      "pub:1": { k: "publicity", v: 1, d: "2026-03-02", x: 5, l: "报道", lv: "city" },
    },
    months: { "03": monthCount(days) },
  };
  const tasks: TaskEntry[] = [
    { v: 1, w: 10, due: "2026-12-31", ok: 1, parts: [{ d: "d1", st: "done", p: 100 }] },
    { v: 1, w: 30, due: "2026-12-31", ok: 1, parts: [{ d: "d1", st: "in_progress", p: 50 }] },
    { v: 1, w: 50, due: "2026-12-31", ok: 0, parts: [{ d: "d1", st: "not_started", p: 0 }] }, // a draft: not counted
  ];
  return computeYear({
    today: "2026-03-20",
    scheme: DEFAULT_SCHEME,
    orgs: [
      { id: "city", name: "张家口市财政局", shortName: "市局", order: 0 },
      { id: "c1", name: "甲县财政局", shortName: "甲县", order: 1 },
    ],
    divisions: [{ id: "d1", orgId: "c1", name: "预算股", order: 1, reports: true }],
    staff: [{ id: "s-1", name: "张三", orgId: "c1", divisionId: "d1" }],
    people: new Map([["s-1", person]]),
    tasks,
    subs: {
      [submissionKey("d1", "arrangement", 1)]: { v: 1, late: 0 } as never,
      [submissionKey("d1", "arrangement", 2)]: { v: 1, late: 1 } as never,
      [submissionKey("d1", "completion", 1)]: { v: 1, late: 0 } as never,
    },
    logs: new Map([["s-1", { v: 1, due: 80, done: 76, onTime: 76 }]]),
    deadlines: {
      // Due by 20 March: arrangements for Jan–Mar, completion reports for Jan–Feb.
      arrangement: ["2025-12-31", "2026-01-30", "2026-02-27", "2026-03-31", ...Array(8).fill("2026-12-31")],
      completion: ["2026-02-05", "2026-03-05", "2026-04-07", ...Array(9).fill("2026-12-31")],
    },
  });
}

describe("scoring a small fixed case, computed by hand", () => {
  test("when the default scheme scores one person, then each item and the total are as computed by hand", () => {
    const { staff } = smallCase();
    const s = staff[0];
    const score = (k: string) => s.items.find((i) => i.item === k)!.score;
    // tasks: (10 × 100 + 30 × 50) / (10 + 30) = 62.5 (the draft task does not count)
    expect(score("tasks")).toBe(62.5);
    // logs: 76 on time of 80 due = 95%, the rate that earns full marks
    expect(score("logs")).toBe(100);
    // attendance: 100 − 2 days of personal leave × 1
    expect(score("attendance")).toBe(98);
    // learning: 40 of 50 hours; information 7 of 10 points (the retracted report counts 0); publicity 5 of 6
    expect(score("learning")).toBe(80);
    expect(score("information")).toBe(70);
    expect(score("publicity")).toBe(83.3);
    // (20 × 62.5 + 25 × 100 + 20 × 98 + 15 × 80 + 10 × 70 + 10 × 83.3) / 100 = 8443 / 100
    expect(s.score).toBe(84.43);
    expect(s.items.find((i) => i.item === "tasks")!.points).toBe(12.5);
    expect(s.grade).toBe("competent");
    expect(s.indicators).toEqual({
      learningHours: 40,
      learningRecords: 2,
      informationPoints: 7,
      informationItems: 1,
      publicityPoints: 5,
      publicityItems: 1,
    });
  });

  test("when the division is scored, then timeliness counts what fell due and the rest are its members' scores", () => {
    const { divisions, orgs } = smallCase();
    const d = divisions[0];
    // Due by 20 March: 3 arrangements + 2 reports = 5; submitted 3, on time 2.
    expect(d.timeliness).toEqual({ due: 5, submitted: 3, onTime: 2, rate: 0.4 });
    expect(d.tasks).toMatchObject({ parts: 2, done: 1, inProgress: 1, weightedProgress: 62.5, late: 0 });
    const score = (k: string) => d.items.find((i) => i.item === k)!.score;
    expect(score("timeliness")).toBe(40);
    // (35 × 62.5 + 15 × 40 + 15 × 100 + 10 × 98 + 10 × 80 + 10 × 70 + 5 × 83.3) / 100
    //   = (2187.5 + 600 + 1500 + 980 + 800 + 700 + 416.5) / 100 = 7184 / 100
    expect(d.score).toBe(71.84);
    // The county is ranked; the city bureau, with nobody in it, is not.
    expect(orgs.find((o) => o.orgId === "c1")).toMatchObject({ score: 71.84, rank: 1, people: 1 });
    expect(orgs.find((o) => o.orgId === "city")!.rank).toBeNull();
  });
});

describe("grades and the 优秀 quota", () => {
  const person = (id: string, score: number, logs: number): StaffResult =>
    ({
      staffId: id,
      score,
      items: [{ item: "logs", score: logs }],
      grade: "competent",
      rank: 0,
    }) as unknown as StaffResult;

  test("when two staff tie at the top and the quota allows one 优秀, then the better log score wins", () => {
    const staff = [
      person("s-7", 90, 80),
      person("s-2", 90, 95),
      person("s-3", 88, 90),
      person("s-4", 86, 90),
      person("s-5", 70, 90),
      person("s-6", 65, 90),
      person("s-1", 50, 90),
    ];
    gradeOrg(staff, DEFAULT_SCHEME); // 15 % of 7 → 1
    expect(staff.map((s) => [s.staffId, s.rank, s.grade])).toEqual([
      ["s-2", 1, "excellent"],
      ["s-7", 2, "competent"],
      ["s-3", 3, "competent"],
      ["s-4", 4, "competent"],
      ["s-5", 5, "competent"],
      ["s-6", 6, "basic"],
      ["s-1", 7, "incompetent"],
    ]);
  });

  test("when everything else ties, then the lower staff id ranks first", () => {
    const staff = [person("s-9", 90, 90), person("s-8", 90, 90)];
    gradeOrg(staff, { ...DEFAULT_SCHEME, grades: { ...DEFAULT_SCHEME.grades, excellentShare: 0.5 } });
    expect(staff.map((s) => [s.staffId, s.grade])).toEqual([
      ["s-8", "excellent"],
      ["s-9", "competent"],
    ]);
  });

  test("when a breakdown is redacted, then attendance is hidden and public items stay", () => {
    const s = redact(smallCase().staff[0]);
    expect(s.attendance).toBeNull();
    expect(s.items.find((i) => i.item === "attendance")).toMatchObject({ score: null, hidden: true });
    expect(s.items.find((i) => i.item === "learning")).toMatchObject({ score: 80, hidden: false });
  });
});
