/** Counting: staff statistics and attendance summaries, over plain rows. */
import { AGE_BANDS, ageBand, ageOn } from "../../shared/time";
import {
  ATTENDANCE_STATUSES,
  EDUCATION_LEVELS,
  type AttendanceCounts,
  type AttendanceStatus,
  type StaffStats,
} from "../../shared/contracts/personnel";

export interface StatsRow {
  orgId: string;
  divisionId: string;
  education: string;
  birthDate: string;
}

const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

export function staffStats(rows: StatsRow[], today: string): StaffStats {
  const byEducation: Record<string, number> = Object.fromEntries(EDUCATION_LEVELS.map((e) => [e, 0]));
  const byAgeBand: Record<string, number> = Object.fromEntries(AGE_BANDS.map((b) => [b, 0]));
  const stats: StaffStats = { total: rows.length, byOrg: {}, byDivision: {}, byEducation, byAgeBand };
  for (const r of rows) {
    bump(stats.byOrg, r.orgId);
    bump(stats.byDivision, r.divisionId);
    bump(stats.byEducation, r.education);
    bump(stats.byAgeBand, ageBand(ageOn(r.birthDate, today)));
  }
  return stats;
}

export const emptyCounts = (): AttendanceCounts =>
  Object.fromEntries([...ATTENDANCE_STATUSES, "notRecorded"].map((s) => [s, 0])) as AttendanceCounts;

/** Counts per status over the working days; a working day without an entry is "notRecorded". */
export function countDays(days: Record<string, AttendanceStatus>, workingDays: string[]): AttendanceCounts {
  const counts = emptyCounts();
  const working = new Set(workingDays.map((d) => d.slice(8, 10)));
  for (const status of Object.values(days)) if (counts[status] !== undefined) counts[status] += 1;
  for (const day of working) if (!days[day]) counts.notRecorded += 1;
  return counts;
}

export function addCounts(into: AttendanceCounts, from: AttendanceCounts): AttendanceCounts {
  for (const k of Object.keys(into) as (keyof AttendanceCounts)[]) into[k] += from[k];
  return into;
}

/** Away means recorded as anything but present; an unrecorded day is not counted as away. */
export const isAway = (status: AttendanceStatus | null | undefined): boolean => !!status && status !== "present";
