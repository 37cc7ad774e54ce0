import { checkContent, checkDate, dateFields, dueInstant } from "../../../services/worklog/rules";

describe("log rules", () => {
  test("when the date is today or up to 7 days back, then it is accepted; future or older dates are refused with the field", () => {
    expect(checkDate("2026-03-10", "2026-03-10")).toBeNull();
    expect(checkDate("2026-03-03", "2026-03-10")).toBeNull();
    expect(checkDate("2026-03-11", "2026-03-10")).toMatchObject({ field: "date", type: "dateFuture" });
    expect(checkDate("2026-03-02", "2026-03-10")).toMatchObject({ field: "date", type: "dateTooOld" });
    expect(checkDate("2026-02-30", "2026-03-10")).toMatchObject({ field: "date", type: "date" });
  });

  test("when content is blank or over 20,000 characters, then it is refused with the field", () => {
    expect(checkContent("  \n\t ", "done", true)).toMatchObject({ field: "done", type: "stringEmpty" });
    expect(checkContent("x".repeat(20_001), "thoughts", false)).toMatchObject({ field: "thoughts", type: "stringMax" });
    expect(checkContent("x".repeat(20_000), "done", true)).toBeNull();
    expect(checkContent(undefined, "thoughts", false)).toBeNull();
  });

  test("when a deadline is 18:00 with 30 minutes grace, then the log is due at 10:30 UTC that day", () => {
    expect(dueInstant("2026-03-10", { deadline: "18:00", graceMinutes: 30 }).toISOString()).toBe(
      "2026-03-10T10:30:00.000Z",
    );
  });

  test("when a date is stored, then its year, month and ISO week are stored with it (ISO year may differ)", () => {
    expect(dateFields("2026-01-01")).toEqual({ year: 2026, month: 1, isoYear: 2026, isoWeek: 1 });
    expect(dateFields("2027-01-01")).toEqual({ year: 2027, month: 1, isoYear: 2026, isoWeek: 53 });
  });
});
