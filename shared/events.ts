/**
 * Durable domain events (JetStream through @moleculer/channels): names and payloads, typed once.
 * Delivery is at-least-once, so every consumer is idempotent on `id`.
 */
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { AttendanceChanged, IndicatorFact } from "./contracts/assessment";
import type { AuditEntryInput } from "./contracts/audit";
import type { NoticePublished } from "./contracts/notices";
import type { StaffChanged } from "./contracts/personnel";
import type { ArrangementSubmitted, CompletionSubmitted, TaskChanged, TaskCreated } from "./contracts/plans";
import type { CalendarOverrideChanged } from "./contracts/calendar";
import type {
  CommentAdded,
  ComplianceChanged,
  LogEdited,
  LogPublished,
  LogWithdrawn,
  NotificationRequested,
} from "./contracts/worklog";

/** Channel name → payload data. Add a channel here and its stream is created at start-up. */
export interface Channels {
  "audit.entry": AuditEntryInput;
  "personnel.staff.changed": StaffChanged;
  "worklog.log.published": LogPublished;
  "worklog.log.edited": LogEdited;
  "worklog.log.withdrawn": LogWithdrawn;
  "worklog.comment.added": CommentAdded;
  /** A person's or an organisation's year of log compliance, recomputed after a change (see ComplianceChanged). */
  "worklog.compliance.changed": ComplianceChanged;
  /** Ask for an in-app notification to one person (delivered to the browser by another service). */
  "notification.requested": NotificationRequested;
  /**
   * A working-day override was set or removed (published by personnel, the calendar's owner); worklog,
   * plans, reminders and assessment keep or follow calendar copies from it.
   */
  "calendar.override.changed": CalendarOverrideChanged;
  "plans.task.created": TaskCreated;
  /** Edited, approved by HR, or a part's progress moved by a completion report. */
  "plans.task.changed": TaskChanged;
  "plans.arrangement.submitted": ArrangementSubmitted;
  "plans.completion.submitted": CompletionSubmitted;
  /** An indicator fact (information report adopted, publicity verified, learning hours) was recorded or revised. */
  "indicator.fact.recorded": IndicatorFact;
  /** Days of attendance were entered or imported (the assessment service counts them). */
  "personnel.attendance.changed": AttendanceChanged;
  /** A notice (通知公告) went out to its recipients. */
  "notices.notice.published": NoticePublished;
}
export type ChannelName = keyof Channels;

/**
 * What each channel is for, one line each. A `Record` over `ChannelName`, so the compiler refuses a
 * channel added to `Channels` without a line here, and a line for a channel that does not exist.
 */
const CHANNEL_DOCS: Record<ChannelName, string> = {
  "audit.entry": "an entry for the append-only audit log",
  "personnel.staff.changed": "a staff member joined, changed or left",
  "worklog.log.published": "a work log was published",
  "worklog.log.edited": "a published log was edited",
  "worklog.log.withdrawn": "a published log was withdrawn",
  "worklog.comment.added": "a comment was added to a log",
  "worklog.compliance.changed": "a person's or an organisation's log compliance changed",
  "notification.requested": "an in-app notification for one person",
  "calendar.override.changed": "a working-day override was set or removed (by personnel)",
  "plans.task.created": "an annual task was created",
  "plans.task.changed": "an annual task was edited, approved or progressed",
  "plans.arrangement.submitted": "a monthly arrangement was submitted",
  "plans.completion.submitted": "a monthly completion report was submitted",
  "indicator.fact.recorded": "an indicator fact was recorded or revised",
  "personnel.attendance.changed": "days of attendance were entered or imported",
  "notices.notice.published": "a notice went out to its recipients",
};

/** Every durable channel; its stream is created at start-up (shared/broker.ts). */
export const CHANNEL_NAMES = Object.keys(CHANNEL_DOCS) as ChannelName[];

export interface DomainEvent<C extends ChannelName = ChannelName> {
  /** Unique per event; consumers use it to ignore redeliveries. */
  id: string;
  channel: C;
  occurredAt: string;
  data: Channels[C];
}

/** Publish a durable event. `id` may be given to make a retried publish idempotent too. */
export async function publish<C extends ChannelName>(
  broker: ServiceBroker,
  channel: C,
  data: Channels[C],
  id: string = randomUUID(),
): Promise<DomainEvent<C>> {
  const event: DomainEvent<C> = { id, channel, occurredAt: new Date().toISOString(), data };
  await (broker as unknown as { sendToChannel(n: string, p: unknown): Promise<void> }).sendToChannel(channel, event);
  return event;
}
