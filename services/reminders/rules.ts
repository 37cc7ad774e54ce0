/**
 * Pure rules of the reminder policies: quiet hours, default settings, keys, templates.
 * Times are local (Asia/Shanghai, UTC+8, no DST).
 */
import { isoWeek } from "../../shared/calendar";
import type {
  DailySummaryRow,
  OrgReminderSettings,
  PolicySettings,
  ReminderPolicy,
  SmsStatus,
} from "../../shared/contracts/reminders";

export const isHm = (s: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** Local "HH:MM" of an instant. */
export const localHm = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export const isoWeekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

/** Whether a local time falls in quiet hours; a window may wrap midnight (21:00–08:00). */
export function inQuietHours(hm: string, start: string, end: string): boolean {
  if (start === end) return false;
  return start < end ? hm >= start && hm < end : hm >= start || hm < end;
}

export const weekKey = (date: string): string => {
  const w = isoWeek(date);
  return `${w.year}-W${String(w.week).padStart(2, "0")}`;
};

/** The idempotency key (the record's _id): one message per policy, subject, period and recipient. */
export function messageKey(policy: ReminderPolicy, subject: string, period: string, recipient: string): string {
  return recipient === subject ? `${policy}:${subject}:${period}` : `${policy}:${subject}:${period}:${recipient}`;
}

const policy = (essential: boolean, time: string, template: string): PolicySettings => ({
  enabled: true,
  essential,
  time,
  template,
});

/** The settings an organisation has until its administrator changes them. */
export function defaultSettings(orgId: string): OrgReminderSettings {
  return {
    orgId,
    personal: policy(false, "00:00", "【明白】{name}您好，您{what}尚未填写，请及时登录明白平台补写。"),
    escalation: {
      ...policy(true, "09:00", "【明白】{name}您好，{person}已连续{missed}未写工作日志（自{since}起），请督促。"),
      afterMissed: 3,
    },
    orgWeekly: {
      ...policy(true, "09:00", "【明白】{name}您好，{org}{what}尚未发布，请及时发布单位日志。"),
      weekday: 1,
      adminStaffIds: [],
    },
    arrangement: policy(true, "09:00", "【明白】{name}您好，{division}{what}已逾期{days}天未报，请尽快填报。"),
    completion: policy(true, "09:00", "【明白】{name}您好，{division}{what}已逾期{days}天未报，请尽快填报。"),
    updatedAt: null,
    updatedBy: null,
  };
}

/** Fills {placeholders}; unknown ones stay visible so a typo in a template is noticed. */
export function render(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** "3月10日" from a local date. */
export const zhDate = (date: string): string => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** Backoff before attempt n+1 (n ≥ 1): base·2^(n−1), ±20 % jitter so replicas don't retry in step. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random()));
}

/** Order of the message states: a record never moves a message back to an earlier one. */
export const STATUS_RANK: Record<SmsStatus, number> = { pending: 0, sent: 1, delivered: 2, failed: 2, skipped: 2 };

/** A day's summary from its entries: accepted by the provider, delivered, failed, skipped. */
export function countDay(msgs: Record<string, { s: SmsStatus; a: 0 | 1 }>): Omit<DailySummaryRow, "orgId" | "date"> {
  const out = { sent: 0, delivered: 0, failed: 0, skipped: 0 };
  for (const m of Object.values(msgs)) {
    out.sent += m.a;
    if (m.s === "delivered" || m.s === "failed" || m.s === "skipped") out[m.s]++;
  }
  return out;
}
