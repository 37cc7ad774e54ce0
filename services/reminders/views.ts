/** Stored messages and settings as the API shows them. */
import type { OrgReminderSettings, OrgReminderSettingsView, SmsMessageView } from "../../shared/contracts/reminders";
import type { MessageDoc } from "./data/models";
import type { This } from "./types";

export const toView = (d: MessageDoc): SmsMessageView => ({
  id: d._id,
  policy: d.policy,
  orgId: d.orgId,
  recipientStaffId: d.recipientStaffId,
  recipientName: d.recipientName,
  subject: d.subject,
  period: d.period,
  to: d.to,
  body: d.body,
  status: d.status,
  provider: d.provider,
  providerId: d.providerId,
  error: d.error,
  attempts: d.attempts,
  date: d.date,
  createdAt: new Date(d.createdAt).toISOString(),
  updatedAt: new Date(d.updatedAt).toISOString(),
  history: (d.history ?? []).map((h) => ({ status: h.status, at: new Date(h.at).toISOString(), detail: h.detail })),
});

export const viewMethods = {
  view(this: This, settings: OrgReminderSettings): OrgReminderSettingsView {
    return { ...settings, quietHours: { start: this.cfg.quietHoursStart, end: this.cfg.quietHoursEnd } };
  },
};
