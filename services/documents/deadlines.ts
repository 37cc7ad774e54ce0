/** Due dates of handling tasks on the working-day calendar (调休 and holidays from shared/calendar.ts). */
import { addDays, type WorkCalendar } from "../../shared/calendar";
import type { Urgency } from "../../shared/contracts/documents";

/** The n-th working day after `from` (the day of assignment does not count). */
export function dueDate(cal: WorkCalendar, from: string, workingDays: number): string {
  let d = from;
  for (let left = workingDays; left > 0;) {
    d = addDays(d, 1);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/** The due date for an urgency: the flow's working days for it (urgent documents get fewer). */
export const handlingDue = (cal: WorkCalendar, from: string, urgency: Urgency, days: Record<Urgency, number>): string =>
  dueDate(cal, from, days[urgency]);

/** Overdue on `today`: open, and its due date has passed. */
export const isOverdue = (due: string | null, today: string): boolean => !!due && due < today;
