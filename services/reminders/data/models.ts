/**
 * The reminders database. Every lookup on a hot path is by `_id` (FerretDB v1 pushes no other
 * filter down): messages are keyed by their idempotency key, daily counters by org and date,
 * settings by org, opt-outs by staff id, the calendar overrides (a copy of personnel's) by date. The outbox holds only the ids not yet settled with the
 * provider, so the crash-recovery sweep reads a handful of rows instead of the whole log.
 */
import { Schema, type Connection, type Model } from "mongoose";
import { OVERRIDE_COPY_FIELDS, type OverrideCopyDoc } from "../../../shared/calendar";
import type {
  OrgReminderSettings,
  SmsHistoryEntry,
  SmsMessageView,
  SmsStatus,
} from "../../../shared/contracts/reminders";

/** The stored form of a message: the API view with `_id` for `id` and dates as dates. */
export type MessageDoc = Omit<SmsMessageView, "id" | "createdAt" | "updatedAt" | "history"> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  history: (Omit<SmsHistoryEntry, "at"> & { at: Date })[];
};

export interface OutboxDoc {
  _id: string;
  createdAt: Date;
}

/** A message's latest state in its day: `v` ranks the states, `a` is 1 once the provider accepted it. */
export interface DailyEntry {
  v: number;
  s: SmsStatus;
  a: 0 | 1;
}

export interface DailyDoc {
  /** `<orgId>|<date>` */
  _id: string;
  orgId: string;
  date: string;
  /** One entry per message id, written by shared/store/entry-writer.ts. */
  msgs: Record<string, DailyEntry>;
}

export type SettingsDoc = Omit<OrgReminderSettings, "orgId" | "updatedAt"> & { _id: string; updatedAt: Date | null };

export interface OptOutDoc {
  /** staff id */
  _id: string;
  optedOut: boolean;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageDoc>(
  {
    _id: { type: String },
    policy: { type: String, required: true },
    orgId: { type: String, required: true },
    recipientStaffId: { type: String, required: true },
    recipientName: { type: String, default: "" },
    subject: { type: String, required: true },
    period: { type: String, required: true },
    to: { type: String, default: null },
    body: { type: String, required: true },
    status: { type: String, required: true },
    provider: { type: String, default: null },
    providerId: { type: String, default: null },
    error: { type: Schema.Types.Mixed, default: null },
    attempts: { type: Number, default: 0 },
    date: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    history: [{ _id: false, status: String, at: Date, detail: { type: String, default: null } }],
  },
  { versionKey: false },
);
messageSchema.index({ date: 1, orgId: 1 });
messageSchema.index({ providerId: 1 });

const outboxSchema = new Schema<OutboxDoc>(
  { _id: { type: String }, createdAt: { type: Date, required: true } },
  { versionKey: false },
);

const dailySchema = new Schema<DailyDoc>(
  {
    _id: { type: String },
    orgId: String,
    date: String,
    msgs: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false },
);

const settingsSchema = new Schema<SettingsDoc>(
  {
    _id: { type: String },
    personal: Schema.Types.Mixed,
    escalation: Schema.Types.Mixed,
    orgWeekly: Schema.Types.Mixed,
    arrangement: Schema.Types.Mixed,
    completion: Schema.Types.Mixed,
    updatedAt: { type: Date, default: null },
    updatedBy: { type: String, default: null },
  },
  { versionKey: false },
);

const optOutSchema = new Schema<OptOutDoc>(
  { _id: { type: String }, optedOut: Boolean, updatedAt: Date },
  { versionKey: false },
);

/** The copy of personnel's calendar overrides (shared/calendar.ts OverrideCopy): ticks hold on days off. */
const overrideSchema = new Schema<OverrideCopyDoc>(OVERRIDE_COPY_FIELDS, { versionKey: false });

export interface Models {
  Message: Model<MessageDoc>;
  Outbox: Model<OutboxDoc>;
  Daily: Model<DailyDoc>;
  Settings: Model<SettingsDoc>;
  OptOut: Model<OptOutDoc>;
  Override: Model<OverrideCopyDoc>;
}

export const registerModels = (db: Connection): Models => ({
  Message: db.model<MessageDoc>("SmsMessage", messageSchema, "messages"),
  Outbox: db.model<OutboxDoc>("SmsOutbox", outboxSchema, "outbox"),
  Daily: db.model<DailyDoc>("SmsDaily", dailySchema, "daily"),
  Settings: db.model<SettingsDoc>("ReminderSettings", settingsSchema, "settings"),
  OptOut: db.model<OptOutDoc>("ReminderOptOut", optOutSchema, "optouts"),
  Override: db.model<OverrideCopyDoc>("CalendarOverride", overrideSchema, "calendar_overrides"),
});
