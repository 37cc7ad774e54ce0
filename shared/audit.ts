/**
 * Record an audit entry from any service, durably, through the `audit.entry` channel.
 *
 * An entry is written after the change it records. If publishing it fails then (NATS away), the
 * entry goes to an outbox in Redis under its event id, and every process's broker sends the outbox
 * again every few seconds (AuditOutboxMiddleware); the audit service stores an id once, so a
 * second send of the same entry changes nothing. Only if Redis is away as well is the entry lost,
 * and then the caller hears of it (the error is thrown).
 */
import { randomUUID } from "node:crypto";
import type { Context, Middleware, ServiceBroker } from "moleculer";
import type { CallMeta } from "./auth";
import type { AuditEntryInput, AuditResult } from "./contracts/audit";
import { publish } from "./events";
import { redis } from "./redis";

const OUTBOX = "audit:outbox";
const DRAIN_EVERY_MS = 5000;

interface Pending {
  id: string;
  entry: AuditEntryInput;
}

export async function audit(
  ctx: Context<unknown, CallMeta>,
  action: string,
  result: AuditResult,
  target: string | null,
  details?: AuditEntryInput["details"],
  actor?: { accountId: string | null; name: string | null; orgId: string | null },
): Promise<void> {
  const user = ctx.meta.user;
  const entry: AuditEntryInput = {
    action,
    result,
    actorAccountId: actor?.accountId ?? user?.accountId ?? null,
    actorName: actor?.name ?? user?.name ?? null,
    actorOrgId: actor?.orgId ?? user?.orgId ?? null,
    ip: ctx.meta.ip ?? null,
    target,
    details,
    at: new Date().toISOString(),
  };
  const id = randomUUID();
  try {
    await publish(ctx.broker, "audit.entry", entry, id);
  } catch (err) {
    ctx.broker.logger.warn(`audit entry ${id} (${action}) kept in the outbox: publishing failed:`, err);
    await redis().rpush(OUTBOX, JSON.stringify({ id, entry } satisfies Pending));
  }
}

/** Sends the outbox's entries, oldest first, until it is empty or a send fails. Returns how many went. */
export async function drainAuditOutbox(broker: ServiceBroker): Promise<number> {
  let sent = 0;
  for (;;) {
    const head = await redis().lindex(OUTBOX, 0);
    if (!head) return sent;
    const { id, entry } = JSON.parse(head) as Pending;
    await publish(broker, "audit.entry", entry, id);
    // Another process may have sent and removed it meanwhile: remove this copy only.
    await redis().lrem(OUTBOX, 1, head);
    sent++;
  }
}

/** Every broker sends the audit outbox again every few seconds (nothing to do: one LINDEX). */
export const AuditOutboxMiddleware: Middleware = {
  name: "AuditOutbox",
  async started(broker: ServiceBroker) {
    const timer = setInterval(() => {
      drainAuditOutbox(broker).catch((err) => broker.logger.debug("audit outbox not sent yet:", err));
    }, DRAIN_EVERY_MS);
    timer.unref();
    (broker as unknown as { $auditOutbox?: NodeJS.Timeout }).$auditOutbox = timer;
  },
  async stopping(broker: ServiceBroker) {
    clearInterval((broker as unknown as { $auditOutbox?: NodeJS.Timeout }).$auditOutbox);
  },
};
