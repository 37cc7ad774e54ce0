/**
 * Durable domain events (JetStream through @moleculer/channels): names and payloads, typed once.
 * Delivery is at-least-once, so every consumer is idempotent on `id`.
 */
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { AuditEntryInput } from "./contracts/audit";
import type { StaffChanged } from "./contracts/personnel";

/** Channel name → payload data. Add a channel here and its stream is created at start-up. */
export interface Channels {
  "audit.entry": AuditEntryInput;
  "personnel.staff.changed": StaffChanged;
}
export type ChannelName = keyof Channels;
export const CHANNEL_NAMES = ["audit.entry", "personnel.staff.changed"] as const satisfies readonly ChannelName[];

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
