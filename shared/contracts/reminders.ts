/** SMS reminders (短信提醒): per-organisation policies, the SMS log, daily summaries, status callbacks. */

/** What a reminder chases. Each is switched on or off per organisation. */
export const REMINDER_POLICIES = ["personal", "escalation", "orgWeekly", "arrangement", "completion"] as const;
export type ReminderPolicy = (typeof REMINDER_POLICIES)[number];

/**
 * pending: stored (the idempotency key) and not yet confirmed accepted by the provider;
 * sent: accepted by the provider; delivered / failed: final, from the provider or our own checks;
 * skipped: final, never sent on purpose (opt-out, SMS switched off); the in-app reminder still went.
 */
export const SMS_STATUSES = ["pending", "sent", "delivered", "failed", "skipped"] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

export interface PolicySettings {
  enabled: boolean;
  /** Essential reminders reach people who opted out of non-essential ones. */
  essential: boolean;
  /** Earliest local time ("HH:MM") on a working day at which the policy fires. */
  time: string;
  /**
   * zh-CN text. Placeholders: {name} (the recipient), {what} (what is overdue), {person} (whose
   * log, for escalations), {org}, {division}, {since}, {missed}, {days}.
   */
  template: string;
}

export interface OrgReminderSettings {
  orgId: string;
  personal: PolicySettings;
  escalation: PolicySettings & {
    /** Missed units (days, or weeks for a weekly rule) before the head hears. */ afterMissed: number;
  };
  orgWeekly: PolicySettings & {
    /** ISO weekday (1 = Monday) from which the week's reminder goes out. */ weekday: number;
    /** Org admins to remind besides the designated authors. */ adminStaffIds: string[];
  };
  arrangement: PolicySettings;
  completion: PolicySettings;
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * What `settings.get` and `settings.set` answer: an organisation's settings plus the system-wide
 * quiet hours (QUIET_HOURS_START/END), which no organisation can change but every admin should see.
 */
export interface OrgReminderSettingsView extends OrgReminderSettings {
  quietHours: { start: string; end: string };
}

export type OrgReminderSettingsInput = Partial<{
  [K in ReminderPolicy]: Partial<OrgReminderSettings[K]>;
}>;

export interface SmsHistoryEntry {
  status: SmsStatus | "attempt" | "provider";
  at: string;
  detail: string | null;
}

export interface SmsMessageView {
  /** The idempotency key: `<policy>:<subject>:<period>[:<recipient>]`. */
  id: string;
  policy: ReminderPolicy;
  orgId: string;
  recipientStaffId: string;
  recipientName: string;
  subject: string;
  period: string;
  to: string | null;
  body: string;
  status: SmsStatus;
  provider: string | null;
  providerId: string | null;
  error: { code: string; message: string } | null;
  attempts: number;
  /** Local date the reminder was created (for the daily summary). */
  date: string;
  createdAt: string;
  updatedAt: string;
  history: SmsHistoryEntry[];
}

export interface SmsSearchParams {
  orgId?: string;
  staffId?: string;
  status?: SmsStatus;
  policy?: ReminderPolicy;
  date?: string;
  page?: number;
  limit?: number;
}

export interface SmsSearchResult {
  items: SmsMessageView[];
  total: number;
  page: number;
  limit: number;
}

export interface DailySummaryRow {
  orgId: string;
  date: string;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
}

export interface TickResult {
  /** False when another replica (or an earlier identical tick) holds this minute's lock. */
  ran: boolean;
  at: string;
  /** A working day outside quiet hours: only then are reminders created and sent. */
  allowed: boolean;
  reason?: string;
  created: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Stale pending messages settled (adopted from the provider, or sent) by this tick. */
  recovered: number;
  ms: number;
}

/** What the gateway's status-callback route puts in meta for `reminders.sms.status`. */
export interface StatusCallbackMeta {
  /** The `x-twilio-signature` header. */
  signature?: string;
  /** The raw form fields as posted. */
  form?: Record<string, string>;
  /** The query string of the request URL, without "?". */
  query?: string;
}
