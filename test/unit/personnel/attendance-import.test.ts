import { planAttendanceImport } from "../../../services/personnel/attendance-import";
import type { AttendanceStatus } from "../../../shared/contracts/personnel";
import type { AttendanceEntry } from "../../../services/personnel/personnel.types";

const entry = (staffId: string, day: string, status: AttendanceEntry["status"]): AttendanceEntry => ({
  staffId,
  orgId: "city",
  divisionId: "city-hr",
  date: `2026-03-${day}`,
  status,
});

describe("planning an attendance import", () => {
  test("when every day matches what is stored, then nothing is planned and every row is unchanged", () => {
    const plan = planAttendanceImport(
      2026,
      3,
      3,
      [entry("a", "02", "present"), entry("b", "02", "leave_sick")],
      new Map<string, Record<string, AttendanceStatus>>([
        ["a", { "02": "present" as const }],
        ["b", { "02": "leave_sick" as const, "03": "present" as const }],
      ]),
    );
    expect(plan).toEqual({ year: 2026, month: 3, creates: [], updates: [], unchanged: 3 });
  });

  test("when a day differs or a person has no month yet, then only those days are planned", () => {
    const plan = planAttendanceImport(
      2026,
      3,
      2,
      [entry("a", "02", "present"), entry("a", "03", "training"), entry("new", "02", "present")],
      new Map<string, Record<string, AttendanceStatus>>([
        ["a", { "02": "present" as const, "03": "present" as const }],
      ]),
    );
    expect(plan.updates.map((w) => [w.staffId, w.days, w.entries.length])).toEqual([["a", { "03": "training" }, 1]]);
    expect(plan.creates.map((w) => [w.staffId, w.days])).toEqual([["new", { "02": "present" }]]);
    expect(plan.unchanged).toBe(0);
  });
});
