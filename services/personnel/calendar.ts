/**
 * Calendar helpers for attendance, on the shared Chinese working-day calendar (holidays and 调休);
 * the calendar passed in carries HR's overrides (`this.calendar()`, actions/calendar.ts).
 */
import { type WorkCalendar, dateOf, daysInMonth } from "../../shared/calendar";

export { dateOf, daysInMonth };

/** Working days of a month, up to and including `upTo` when given. */
export const workingDaysOfMonth = (cal: WorkCalendar, year: number, month: number, upTo?: string): string[] =>
  upTo && upTo < dateOf(year, month, 1) ? [] : cal.workingDaysOfMonth(year, month, upTo);

/** Splits YYYY-MM-DD into the parts the attendance document is keyed on. */
export function splitDate(date: string): { year: number; month: number; day: string } {
  const [y, m, d] = date.split("-");
  return { year: Number(y), month: Number(m), day: d };
}

/** The same calendar day `years` earlier (29 Feb falls back to 28 Feb); negative years go forward. */
export function yearsBefore(date: string, years: number): string {
  const { year, month, day } = splitDate(date);
  const y = year - years;
  return dateOf(y, month, Math.min(Number(day), daysInMonth(y, month)));
}

/** The `count` months ending with the month of `date`, oldest first. */
export function lastMonths(date: string, count: number): { year: number; month: number }[] {
  const { year, month } = splitDate(date);
  const out: { year: number; month: number }[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const idx = year * 12 + (month - 1) - i;
    out.push({ year: Math.floor(idx / 12), month: (idx % 12) + 1 });
  }
  return out;
}
