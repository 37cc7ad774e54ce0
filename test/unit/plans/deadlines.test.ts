import { WorkCalendar } from "../../../shared/calendar";
import {
  DEFAULT_DEADLINES,
  arrangementDue,
  completionDue,
  overdueReports,
  periodsDue,
  shiftMonth,
} from "../../../services/plans/deadlines";

const cal = new WorkCalendar();
const divisions = [
  { id: "city-budget", name: "预算处", orgId: "city" },
  { id: "city-treasury", name: "国库处", orgId: "city" },
];

describe("deadlines of the monthly cycle", () => {
  it("when February 2026 ends on a make-up Saturday (春节调休), then March's arrangement is due that Saturday", () => {
    expect(arrangementDue(cal, { year: 2026, month: 3 })).toBe("2026-02-28");
  });

  it("when a month ends on a weekend, then next month's arrangement is due on its last Friday", () => {
    expect(arrangementDue(cal, { year: 2026, month: 6 })).toBe("2026-05-29"); // 31 May is a Sunday
    expect(arrangementDue(cal, { year: 2026, month: 2 })).toBe("2026-01-30"); // 31 January is a Saturday
  });

  it("when the arrangement is for January, then it is due on the last working day of the year before", () => {
    expect(arrangementDue(cal, { year: 2026, month: 1 })).toBe("2025-12-31");
  });

  it("when the report is for September 2025, then day 5 falls in National Day and the due date moves to 9 October", () => {
    expect(completionDue(cal, DEFAULT_DEADLINES, { year: 2025, month: 9 })).toBe("2025-10-09");
    expect(arrangementDue(cal, { year: 2025, month: 10 })).toBe("2025-09-30");
  });

  it("when rolling to a working day is switched off, then the report is due on day N even in a holiday", () => {
    const settings = { ...DEFAULT_DEADLINES, completionRollsToWorkingDay: false };
    expect(completionDue(cal, settings, { year: 2025, month: 9 })).toBe("2025-10-05");
  });

  it("when the due day is set to 15, then January 2026's report moves past the Spring Festival holiday to 24 February", () => {
    expect(completionDue(cal, { ...DEFAULT_DEADLINES, completionDueDay: 15 }, { year: 2026, month: 1 })).toBe(
      "2026-02-24",
    );
    expect(completionDue(cal, DEFAULT_DEADLINES, { year: 2026, month: 1 })).toBe("2026-02-05");
  });

  it("when the report is for December, then it is due in January of the next year", () => {
    expect(completionDue(cal, DEFAULT_DEADLINES, { year: 2025, month: 12 })).toBe("2026-01-05");
    expect(shiftMonth({ year: 2025, month: 12 }, 1)).toEqual({ year: 2026, month: 1 });
    expect(shiftMonth({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
  });
});

describe("overdue lists", () => {
  it("when the due day itself is today, then nothing is overdue yet for it", () => {
    const due = periodsDue("2026-02-28", cal, DEFAULT_DEADLINES, 1);
    expect(due.find((p) => p.kind === "arrangement" && p.month.month === 3)).toBeUndefined();
    expect(due.find((p) => p.kind === "arrangement" && p.month.month === 2)).toEqual({
      kind: "arrangement",
      month: { year: 2026, month: 2 },
      dueDate: "2026-01-30",
    });
  });

  it("when it is 2 March 2026, then March's arrangement is two days overdue and February's report is not yet due", () => {
    const list = overdueReports({
      today: "2026-03-02",
      cal,
      settings: DEFAULT_DEADLINES,
      divisions,
      lookbackMonths: 1,
      submitted: (kind, m) =>
        kind === "arrangement" && m.month === 3
          ? new Set(["city-treasury"])
          : new Set(["city-budget", "city-treasury"]),
    });
    expect(list).toEqual([
      {
        kind: "arrangement",
        divisionId: "city-budget",
        divisionName: "预算处",
        orgId: "city",
        year: 2026,
        month: 3,
        dueDate: "2026-02-28",
        daysOverdue: 2,
      },
    ]);
  });

  it("when September's report is missing, then it is not overdue during the holiday and is one day overdue on 10 October", () => {
    const input = {
      cal,
      settings: DEFAULT_DEADLINES,
      divisions: divisions.slice(0, 1),
      lookbackMonths: 1,
      submitted: (kind: "arrangement" | "completion") =>
        kind === "arrangement" ? new Set(["city-budget"]) : new Set<string>(),
    };
    expect(overdueReports({ ...input, today: "2025-10-08" })).toEqual([]);
    const late = overdueReports({ ...input, today: "2025-10-10" });
    expect(late.map((r) => [r.kind, r.month, r.dueDate, r.daysOverdue])).toEqual([["completion", 9, "2025-10-09", 1]]);
  });

  it("when reports are missing for several months, then the most overdue come first", () => {
    const list = overdueReports({
      today: "2026-04-10",
      cal,
      settings: DEFAULT_DEADLINES,
      divisions: divisions.slice(0, 1),
      lookbackMonths: 2,
      submitted: (kind) => (kind === "arrangement" ? new Set(["city-budget"]) : new Set<string>()),
    });
    expect(list.map((r) => `${r.kind}:${r.month}:${r.dueDate}:${r.daysOverdue}`)).toEqual([
      "completion:2:2026-03-05:36",
      "completion:3:2026-04-07:3",
    ]);
  });
});
