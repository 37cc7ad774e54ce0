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
