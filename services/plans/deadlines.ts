/**
 * Deadlines of the monthly cycle, on the Chinese working-day calendar (调休 included):
 * a month's arrangement is due by the last working day of the month before, and its completion
 * report by day N of the month after (moved to the next working day when N is a day off, if set).
 */
import { type WorkCalendar, dateOf, daysInMonth } from "../../shared/calendar";
import type { DeadlineSettings, OverdueReport } from "../../shared/contracts/plans";

export const DEFAULT_DEADLINES: Omit<DeadlineSettings, "updatedAt" | "updatedBy"> = {
  completionDueDay: 5,
  completionRollsToWorkingDay: true,
  arrangementDueLastWorkingDay: true,
};

export interface YearMonth {
  year: number;
  month: number;
}

export const monthKey = ({ year, month }: YearMonth): string => `${year}-${String(month).padStart(2, "0")}`;

export function shiftMonth({ year, month }: YearMonth, by: number): YearMonth {
  const i = year * 12 + (month - 1) + by;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

export const monthOf = (date: string): YearMonth => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
});

/** Due date of the arrangement for a month: the last working day of the month before. */
export function arrangementDue(cal: WorkCalendar, m: YearMonth): string {
  const prev = shiftMonth(m, -1);
  return cal.lastWorkingDayOfMonth(prev.year, prev.month);
}

/** Due date of the completion report for a month: day N of the next month (N capped to that month's length). */
export function completionDue(
  cal: WorkCalendar,
  settings: Pick<DeadlineSettings, "completionDueDay" | "completionRollsToWorkingDay">,
  m: YearMonth,
): string {
  const next = shiftMonth(m, 1);
  const day = Math.min(settings.completionDueDay, daysInMonth(next.year, next.month));
  const due = dateOf(next.year, next.month, day);
  return settings.completionRollsToWorkingDay ? cal.nextWorkingDay(due) : due;
}

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export interface OverdueInput {
  today: string;
  cal: WorkCalendar;
  settings: Pick<DeadlineSettings, "completionDueDay" | "completionRollsToWorkingDay">;
  divisions: { id: string; name: string; orgId: string }[];
  /** Per month key ("YYYY-MM"): division ids that submitted the arrangement / the completion report. */
  submitted: (kind: OverdueReport["kind"], month: YearMonth) => ReadonlySet<string>;
  /** How many past months to look back over; older misses drop off the list (default 3). */
  lookbackMonths?: number;
}

/** Months whose arrangement or report could be overdue today, and when each was due. */
export function periodsDue(
  today: string,
  cal: WorkCalendar,
  settings: OverdueInput["settings"],
  lookbackMonths = 3,
): { kind: OverdueReport["kind"]; month: YearMonth; dueDate: string }[] {
  const current = monthOf(today);
  const out: { kind: OverdueReport["kind"]; month: YearMonth; dueDate: string }[] = [];
  // Arrangements: next month's (due at the end of this one), this month's and the months before.
  for (let i = 1; i >= -lookbackMonths; i--) {
    const month = shiftMonth(current, i);
    const dueDate = arrangementDue(cal, month);
    if (dueDate < today) out.push({ kind: "arrangement", month, dueDate });
  }
  // Completion reports: last month's (due early this month) and the months before.
  for (let i = -1; i >= -lookbackMonths; i--) {
    const month = shiftMonth(current, i);
    const dueDate = completionDue(cal, settings, month);
    if (dueDate < today) out.push({ kind: "completion", month, dueDate });
  }
  return out;
}

/** Divisions whose arrangement or completion report is past due and not submitted, most overdue first. */
export function overdueReports(input: OverdueInput): OverdueReport[] {
  const out: OverdueReport[] = [];
  for (const p of periodsDue(input.today, input.cal, input.settings, input.lookbackMonths)) {
    const done = input.submitted(p.kind, p.month);
    for (const d of input.divisions)
      if (!done.has(d.id))
        out.push({
          kind: p.kind,
          divisionId: d.id,
          divisionName: d.name,
          orgId: d.orgId,
          year: p.month.year,
          month: p.month.month,
          dueDate: p.dueDate,
          daysOverdue: daysBetween(p.dueDate, input.today),
        });
  }
  return out.sort((a, b) => b.daysOverdue - a.daysOverdue || a.divisionId.localeCompare(b.divisionId));
}

/** Whether a submission at `date` met its due date. */
export const isLate = (date: string, dueDate: string): boolean => date > dueDate;
