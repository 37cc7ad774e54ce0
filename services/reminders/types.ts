/** The reminders service's settings, state and methods, shared by its action and data modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { ScheduledTask } from "node-cron";
import type { Connection } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import type { OverrideCopy } from "../../shared/calendar";
import type { Clock } from "../../shared/clock";
import type { Config } from "../../shared/config";
import type { FieldError } from "../../shared/errors";
import type {
  OrgReminderSettings,
  OrgReminderSettingsInput,
  OrgReminderSettingsView,
  SmsStatus,
  TickResult,
} from "../../shared/contracts/reminders";
import type { DbVars } from "../../shared/db";
import type { EntryWriter } from "../../shared/store/entry-writer";
import type { DailyDoc, MessageDoc, Models } from "./data/models";
import type { SmsProvider } from "./data/sms-provider";
import type { Reminder } from "./policies";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. */
  clock?: Clock;
  /** Overrides the provider built from config (another provider, or a test double). */
  provider?: SmsProvider | null;
  /** Test hooks: `afterAccepted` throws to simulate a crash between the provider's answer and our record. */
  faults?: { afterAccepted?: (id: string) => void };
  /** false: no node-cron schedule (tests drive `tick` themselves). */
  schedule?: boolean;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Vars {
  db: Connection;
  m: Models;
  clock: Clock;
  cfg: Config;
  provider: SmsProvider | null;
  task: ScheduledTask | null;
  /** Keys this process already stored, so repeated ticks don't even try to insert them again. */
  known: Set<string>;
  /** The daily summary: one document per organisation and day, one entry per message. */
  daily: EntryWriter<DailyDoc>;
  /** The copy of personnel's calendar overrides, fed by `calendar.override.changed`. */
  calendarCopy: OverrideCopy;
}

export interface Counts {
  sent: number;
  failed: number;
  skipped: number;
}

export interface Methods {
  runTick(at: Date): Promise<TickResult>;
  collect(at: Date): Promise<Reminder[]>;
  store(reminders: Reminder[], at: Date, counts: Counts): Promise<MessageDoc[]>;
  deliverAll(ids: string[], counts: Counts): Promise<void>;
  deliver(id: string): Promise<SmsStatus | "busy" | "gone">;
  transition(
    id: string,
    from: SmsStatus[],
    to: SmsStatus,
    set: Record<string, unknown>,
    detail: string | null,
  ): Promise<boolean>;
  tally(doc: Pick<MessageDoc, "_id" | "orgId" | "date">, status: SmsStatus, accepted: boolean): Promise<void>;
  recover(at: Date, counts: Counts): Promise<number>;
  settingsOf(orgId: string): Promise<OrgReminderSettings>;
  view(settings: OrgReminderSettings): OrgReminderSettingsView;
  allSettings(): Promise<Map<string, OrgReminderSettings>>;
  optedOut(ids: string[]): Promise<Set<string>>;
  acquireSendSlot(): Promise<void>;
  scopeOrg(ctx: Ctx<unknown>, orgId: string | undefined): string | undefined;
  foreignRecipients(ctx: Ctx<unknown>, orgId: string, input: OrgReminderSettingsInput): Promise<FieldError[]>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
