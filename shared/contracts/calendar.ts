/**
 * The working-day calendar's overrides (调休 and holiday corrections), owned by personnel: what its
 * `personnel.calendar.overrides.*` actions answer and what the `calendar.override.changed` channel carries.
 */

export interface CalendarOverride {
  date: string;
  working: boolean;
  note: string;
  updatedBy: string | null;
  updatedAt: string;
}

export interface CalendarOverrideChanged {
  date: string;
  /** null when the override was removed and the date follows the calendar data again. */
  working: boolean | null;
  note: string;
  /** When it was set (the override's `updatedAt`); consumers' copies keep the latest. */
  at: string;
}
