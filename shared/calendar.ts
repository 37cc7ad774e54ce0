/**
 * The Chinese working-day calendar: weekends, public holidays and make-up working days (调休),
 * from the maintained `chinese-days` data, with per-date overrides an administrator sets.
 * For a year the data does not cover yet (the State Council publishes each schedule late in the
 * year before), the statutory holidays are derived by rule and marked provisional, until an
 * administrator enters the official make-up days as overrides.
 * Dates are local calendar dates (YYYY-MM-DD, Asia/Shanghai).
 */
import { getDayDetail, getSolarDateFromLunar, getSolarTerms, isWorkday } from "chinese-days";
import type { ServiceBroker } from "moleculer";
import type { Model } from "mongoose";
import { call } from "./contracts/actions";
import type { CalendarOverrideChanged } from "./contracts/calendar";
import { isDuplicateKey } from "./params";

export type Overrides = ReadonlyMap<string, boolean>;

export interface DayInfo {
  date: string;
  working: boolean;
  /** e.g. "春节" for a holiday, "春节调休" for a make-up working day, null for an ordinary day */
  name: string | null;
  overridden: boolean;
  /** The year is not in the official data; holidays are derived by rule (no make-up days). */
  provisional: boolean;
}

const pad = (n: number): string => String(n).padStart(2, "0");

export const dateOf = (year: number, month: number, day: number): string => `${year}-${pad(month)}-${pad(day)}`;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Adds whole days to a date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO week (year and number) of a date, for weekly rules. */
export function isoWeek(date: string): { year: number; week: number } {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** Monday of the ISO week containing the date. */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - day);
}

/** New Year's Day is a holiday every year, so a year whose 1 January "works" has no data yet. */
const coveredYears = new Map<number, boolean>();
export function isCoveredYear(year: number): boolean {
  if (!coveredYears.has(year)) coveredYears.set(year, !isWorkday(dateOf(year, 1, 1)));
  return coveredYears.get(year)!;
}

/** Statutory holidays by rule (全国年节及纪念日放假办法, 2025 revision), for years without data. */
const provisionalHolidays = new Map<number, Map<string, string>>();
function ruleHolidays(year: number): Map<string, string> {
  let days = provisionalHolidays.get(year);
  if (days) return days;
  days = new Map<string, string>();
  const add = (date: string, name: string, n = 1): void => {
    for (let i = 0; i < n; i++) days!.set(addDays(date, i), name);
  };
  const lunar = (m: number, d: number): string => getSolarDateFromLunar(dateOf(year, m, d)).date;
  add(dateOf(year, 1, 1), "元旦");
  add(addDays(lunar(1, 1), -1), "春节", 5); // 除夕 and the first four days
  const qingming = getSolarTerms(dateOf(year, 4, 1), dateOf(year, 4, 10)).find((t) => t.name === "清明");
  if (qingming) add(qingming.date, "清明节");
  add(dateOf(year, 5, 1), "劳动节", 2);
  add(lunar(5, 5), "端午节");
  add(lunar(8, 15), "中秋节");
  add(dateOf(year, 10, 1), "国庆节", 3);
  provisionalHolidays.set(year, days);
  return days;
}

const isWeekend = (date: string): boolean => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

export class WorkCalendar {
  constructor(private readonly overrides: Overrides = new Map()) {}

  isWorkingDay(date: string): boolean {
    const overridden = this.overrides.get(date);
    if (overridden !== undefined) return overridden;
    if (isCoveredYear(Number(date.slice(0, 4)))) return isWorkday(date);
    return !isWeekend(date) && !ruleHolidays(Number(date.slice(0, 4))).has(date);
  }

  day(date: string): DayInfo {
    const overridden = this.overrides.has(date);
    const year = Number(date.slice(0, 4));
    if (!isCoveredYear(year))
      return {
        date,
        working: this.isWorkingDay(date),
        name: ruleHolidays(year).get(date) ?? null,
        overridden,
        provisional: true,
      };
    const detail = getDayDetail(date) as { work: boolean; name: string };
    // chinese-days names days "English,中文,n"; weekends are named by weekday.
    const zh = detail.name?.split(",")[1];
    const named = zh && !/^(Saturday|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday)$/.test(detail.name);
    return {
      date,
      working: this.isWorkingDay(date),
      name: named ? (detail.work ? `${zh}调休` : zh) : null,
      overridden,
      provisional: false,
    };
  }

  /** Working days from `from` to `to`, both included. */
  workingDays(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) out.push(d);
    return out;
  }

  /** Working days of a month, up to and including `upTo` when given. */
  workingDaysOfMonth(year: number, month: number, upTo?: string): string[] {
    const last = dateOf(year, month, daysInMonth(year, month));
    return this.workingDays(dateOf(year, month, 1), upTo && upTo < last ? upTo : last);
  }

  /** The last working day of a month (due date of next month's arrangement). */
  lastWorkingDayOfMonth(year: number, month: number): string {
    for (let d = dateOf(year, month, daysInMonth(year, month)); ; d = addDays(d, -1))
      if (this.isWorkingDay(d)) return d;
  }

  /** The next working day on or after a date. */
  nextWorkingDay(date: string): string {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }
}

// ---------- Event-fed copies of the overrides ----------

/**
 * One override in a consumer's copy. `working: null` is a removal, kept (a tombstone) so that a
 * write older than it, from the start-up load or a late redelivery, cannot bring the override back.
 * `at` is when personnel set it; a doc without it (copied before `at` was kept) counts as oldest.
 */
export interface OverrideCopyDoc {
  _id: string;
  working: boolean | null;
  at?: Date;
}

/** The fields of a copy's schema (`new Schema<OverrideCopyDoc>(OVERRIDE_COPY_FIELDS, …)`). */
export const OVERRIDE_COPY_FIELDS = { _id: String, working: { type: Boolean, default: null }, at: Date };

type CopyModel = Model<OverrideCopyDoc>;

/** Tolerates a lost upsert race: the doc another write inserted first is at least as new. */
const ignoreDuplicate = (err: unknown): void => {
  if (!isDuplicateKey(err)) throw err;
};

/**
 * A consumer's copy of personnel's calendar overrides (worklog, plans, reminders each keep one in
 * their own database). The design, chosen as the simplest that stays right:
 * - the copy is fed by the durable `calendar.override.changed` channel; each write keeps the latest
 *   `at` per date (redeliveries and reordering change nothing);
 * - a copy that is empty (a new consumer, a fresh database) loads personnel's current overrides
 *   once, at the first read, through `personnel.calendar.overrides.list` (a system call); it only
 *   inserts dates the copy does not hold, so an event applied meanwhile wins. If personnel does not
 *   answer, the read goes on with the rule calendar and the load is tried again at the next read.
 */
export class OverrideCopy {
  private loaded = false;

  constructor(
    private readonly model: CopyModel,
    private readonly broker: ServiceBroker,
  ) {}

  /** Applies one event to the copy. */
  async apply(data: CalendarOverrideChanged): Promise<void> {
    const at = new Date(data.at);
    await this.model
      .updateOne(
        { _id: data.date, $or: [{ at: { $exists: false } }, { at: { $lte: at } }] },
        { $set: { working: data.working, at } },
        { upsert: true },
      )
      .catch(ignoreDuplicate);
  }

  /** The calendar with the copy's overrides (after the one-off load when the copy is empty). */
  async calendar(): Promise<WorkCalendar> {
    if (!this.loaded) await this.loadIfEmpty();
    const docs = await this.model.find().lean<OverrideCopyDoc[]>();
    const overrides = new Map<string, boolean>();
    for (const d of docs) if (typeof d.working === "boolean") overrides.set(d._id, d.working);
    return new WorkCalendar(overrides);
  }

  private async loadIfEmpty(): Promise<void> {
    try {
      if (!(await this.model.exists({}))) {
        const current = await call(
          this.broker,
          "personnel.calendar.overrides.list",
          {},
          {
            meta: { system: true },
            timeout: 5_000,
          },
        );
        for (const o of current)
          await this.model
            .updateOne(
              { _id: o.date },
              { $setOnInsert: { working: o.working, at: new Date(o.updatedAt) } },
              { upsert: true },
            )
            .catch(ignoreDuplicate);
      }
      this.loaded = true;
    } catch (err) {
      this.broker.logger.warn("Calendar overrides not loaded from personnel yet:", (err as Error).message);
    }
  }
}
