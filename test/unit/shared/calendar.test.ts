import { isoWeek, weekStart, WorkCalendar } from "../../../shared/calendar";

describe("the Chinese working-day calendar", () => {
  const cal = new WorkCalendar();

  test("when it is the 2026 Spring Festival, then 15–23 Feb are holidays and Sat 14 Feb and Sat 28 Feb are make-up working days", () => {
    for (const d of ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23"])
      expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    expect(cal.isWorkingDay("2026-02-14")).toBe(true);
    expect(cal.isWorkingDay("2026-02-28")).toBe(true);
    expect(cal.day("2026-02-17").name).toBe("春节");
    expect(cal.day("2026-02-14").name).toBe("春节调休");
  });

  test("when it is an ordinary week, then Monday to Friday work and the weekend rests", () => {
    expect(cal.workingDays("2026-03-09", "2026-03-15")).toEqual([
      "2026-03-09",
      "2026-03-10",
      "2026-03-11",
      "2026-03-12",
      "2026-03-13",
    ]);
    expect(cal.day("2026-03-14")).toEqual({
      date: "2026-03-14",
      working: false,
      name: null,
      overridden: false,
      provisional: false,
    });
  });

  test("when National Day 2025 falls, then 1–8 Oct rest and Sat 11 Oct works", () => {
    expect(cal.workingDays("2025-10-01", "2025-10-08")).toEqual([]);
    expect(cal.isWorkingDay("2025-10-11")).toBe(true);
  });

  test("when 2027 is asked before its official schedule is in the data, then statutory holidays are derived and marked provisional", () => {
    expect(cal.isWorkingDay("2027-01-01")).toBe(false);
    // Spring Festival 2027 is 6 Feb: 除夕 5 Feb through 9 Feb rest.
    expect(cal.workingDays("2027-02-04", "2027-02-10")).toEqual(["2027-02-04", "2027-02-10"]);
    expect(cal.day("2027-02-06")).toEqual({
      date: "2027-02-06",
      working: false,
      name: "春节",
      overridden: false,
      provisional: true,
    });
    expect(cal.isWorkingDay("2027-04-05")).toBe(false); // 清明
    expect(cal.isWorkingDay("2027-06-09")).toBe(false); // 端午
    expect(cal.isWorkingDay("2027-09-15")).toBe(false); // 中秋
    expect(cal.workingDays("2027-10-01", "2027-10-03")).toEqual([]);
    expect(cal.isWorkingDay("2027-03-10")).toBe(true);
  });

  test("when an administrator overrides a date, then the override wins both ways", () => {
    const c = new WorkCalendar(
      new Map([
        ["2026-03-13", false],
        ["2026-03-14", true],
      ]),
    );
    expect(c.isWorkingDay("2026-03-13")).toBe(false);
    expect(c.isWorkingDay("2026-03-14")).toBe(true);
    expect(c.day("2026-03-14").overridden).toBe(true);
  });

  test("when month ends and weeks are computed, then they follow the calendar", () => {
    expect(cal.lastWorkingDayOfMonth(2026, 1)).toBe("2026-01-30");
    expect(cal.lastWorkingDayOfMonth(2025, 9)).toBe("2025-09-30");
    expect(cal.nextWorkingDay("2026-02-15")).toBe("2026-02-24");
    expect(isoWeek("2026-01-01")).toEqual({ year: 2026, week: 1 });
    expect(isoWeek("2027-01-01")).toEqual({ year: 2026, week: 53 });
    expect(weekStart("2026-03-15")).toBe("2026-03-09");
  });
});
