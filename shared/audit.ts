/** Record an audit entry from any service, durably, through the `audit.entry` channel. */
import type { Context } from "moleculer";
import type { CallMeta } from "./auth";
import type { AuditEntryInput, AuditResult } from "./contracts/audit";
import { publish } from "./events";

export async function audit(
  ctx: Context<unknown, CallMeta>,
  action: string,
  result: AuditResult,
  target: string | null,
  details?: AuditEntryInput["details"],
  actor?: { accountId: string | null; name: string | null; orgId: string | null },
): Promise<void> {
  const user = ctx.meta.user;
  await publish(ctx.broker, "audit.entry", {
    action,
    result,
    actorAccountId: actor?.accountId ?? user?.accountId ?? null,
    actorName: actor?.name ?? user?.name ?? null,
    actorOrgId: actor?.orgId ?? user?.orgId ?? null,
    ip: ctx.meta.ip ?? null,
    target,
    details,
    at: new Date().toISOString(),
  });
}
