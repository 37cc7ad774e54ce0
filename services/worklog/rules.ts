/** Pure rules of writing logs: the date window, content checks, due instants, calendar fields. */
import { addDays, isoWeek } from "../../shared/calendar";
import { BACKDATE_DAYS, MAX_CONTENT, type LogPolicy, type PersonalRule } from "../../shared/contracts/worklog";
import type { FieldError } from "../../shared/errors";
import { isIsoDate } from "../../shared/time";

export const DEFAULT_DEADLINE = "18:00";
export const DEFAULT_GRACE_MINUTES = 60;

/** The policy an organisation has until its administrator sets one. */
export function defaultPolicy(orgId: string, cityOrgId: string): Omit<LogPolicy, "updatedAt" | "updatedBy"> {
  return {
    orgId,
    personal: "weekly" as PersonalRule,
    orgLogWeekly: orgId !== cityOrgId,
    orgLogAuthors: [],
    deadline: DEFAULT_DEADLINE,
    graceMinutes: DEFAULT_GRACE_MINUTES,
  };
}

/** Checks a log's date: a real date, not in the future, not before the back-dating window. */
export function checkDate(date: string, today: string, field = "date"): FieldError | null {
  if (!isIsoDate(date)) return { field, message: "日期格式应为 YYYY-MM-DD", type: "date" };
  if (date > today) return { field, message: "不能填写未来日期的日志", type: "dateFuture" };
  const earliest = addDays(today, -BACKDATE_DAYS);
  if (date < earliest)
    return { field, message: `只能补写 ${BACKDATE_DAYS} 天内（${earliest} 起）的日志`, type: "dateTooOld" };
  return null;
}

/** Checks a content field: not blank when required, not over the limit. */
export function checkContent(value: string | undefined, field: string, required: boolean): FieldError | null {
  if (value === undefined) return required ? { field, message: "内容不能为空", type: "required" } : null;
  if (required && value.trim().length === 0) return { field, message: "内容不能为空", type: "stringEmpty" };
  if (value.length > MAX_CONTENT) return { field, message: `内容不能超过 ${MAX_CONTENT} 字`, type: "stringMax" };
  return null;
}

/** Tags: trimmed, non-empty, de-duplicated. */
export const cleanTags = (tags: string[] | undefined): string[] => [
  ...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean)),
];

export const isDeadline = (s: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** The instant a date's log is due: the deadline (Asia/Shanghai, UTC+8, no DST) plus grace. */
export function dueInstant(date: string, policy: Pick<LogPolicy, "deadline" | "graceMinutes">): Date {
  return new Date(Date.parse(`${date}T${policy.deadline}:00+08:00`) + policy.graceMinutes * 60_000);
}

/** Calendar fields stored with a log, for grouping without date operators. */
export function dateFields(date: string): { year: number; month: number; isoYear: number; isoWeek: number } {
  const w = isoWeek(date);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), isoYear: w.year, isoWeek: w.week };
}
