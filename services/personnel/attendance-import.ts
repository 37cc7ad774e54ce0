/**
 * What an attendance import changes: each person's days in the file against the month as stored.
 * An empty day cell means "not recorded" and changes nothing, so the month's export imported back
 * plans no write; only the people with a day that differs become writes, of those days alone. Pure.
 */
import type { AttendanceStatus } from "../../shared/contracts/personnel";
import { splitDate } from "./calendar";
import type { AttendanceDays, AttendanceEntry } from "./personnel.types";

/** One person-month to write: only the days that differ, and the entries to announce for them. */
export interface AttendanceWrite extends AttendanceDays {
  entries: AttendanceEntry[];
}

export interface AttendancePlan {
  year: number;
  month: number;
  /** People of the file with no record of the month yet. */
  creates: AttendanceWrite[];
  updates: AttendanceWrite[];
  /** Rows (people) whose every day in the file is already stored as it is, or that have no day. */
  unchanged: number;
}

/**
 * `entries`: the file's checked days, from `rows` people (one row each); `stored`: each person's
 * recorded days of the month (absent: no record yet).
 */
export function planAttendanceImport(
  year: number,
  month: number,
  rows: number,
  entries: AttendanceEntry[],
  stored: Map<string, Record<string, AttendanceStatus>>,
): AttendancePlan {
  const people = new Map<string, AttendanceWrite>();
  for (const e of entries) {
    const w = people.get(e.staffId) ?? {
      staffId: e.staffId,
      orgId: e.orgId,
      divisionId: e.divisionId,
      days: {},
      entries: [],
    };
    people.set(e.staffId, w);
    const { day } = splitDate(e.date);
    if (stored.get(e.staffId)?.[day] === e.status) continue;
    w.days[day] = e.status;
    w.entries.push(e);
  }
  const plan: AttendancePlan = { year, month, creates: [], updates: [], unchanged: 0 };
  for (const w of people.values()) if (w.entries.length) (stored.has(w.staffId) ? plan.updates : plan.creates).push(w);
  plan.unchanged = rows - plan.creates.length - plan.updates.length;
  return plan;
}
