/** The audit log: who did what, when, from where, and whether it worked. Append-only. */

export type AuditResult = "success" | "failure";

export interface AuditEntryInput {
  /** e.g. "auth.login", "accounts.roles.change", "personnel.staff.update" */
  action: string;
  result: AuditResult;
  actorAccountId: string | null;
  actorName: string | null;
  /** The organisation the actor belongs to; used to scope county admins' queries later. */
  actorOrgId: string | null;
  ip: string | null;
  /** What was acted on, e.g. "staff:s-00123" */
  target: string | null;
  /** Short machine-readable details: changed field names, reason of a failure. */
  details?: Record<string, string | number | boolean | null | string[]>;
  at: string;
}

export interface AuditEntry extends AuditEntryInput {
  id: string;
}

export interface AuditListParams {
  action?: string;
  actorAccountId?: string;
  result?: AuditResult;
  from?: string;
  to?: string;
  limit?: number;
  before?: string;
}

/** A durable event that failed its consumer `group` too often and waits in its channel's dead letters. */
export interface DeadLetterItem {
  channel: string;
  seq: number;
  group: string;
  error: string;
  deliveries: number;
  failedAt: string;
  eventId: string | null;
}

export interface DeadLettersView {
  total: number;
  byChannel: Record<string, number>;
  items: DeadLetterItem[];
}

export interface ReplayDeadLettersParams {
  /** The channel whose dead letters are replayed (a ChannelName). */
  channel: import("../events").ChannelName;
  /** Only these (sequence numbers in the dead-letter stream); all when absent. */
  seqs?: number[];
}
