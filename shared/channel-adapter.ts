/**
 * The JetStream adapter of the durable channels, with the delivery rules @moleculer/channels lacks:
 *
 * - A failed message is redelivered after an exponential, capped back-off (`nak(delay)`), not at once.
 * - After `maxRetries` failed redeliveries it goes to its channel's dead-letter stream
 *   (`<ns>.DEAD.<channel>`, see shared/dead-letters.ts) and only then is acknowledged. If that
 *   publish fails too, the message is redelivered later: it is never dropped (the stock adapter
 *   logs the error and acknowledges).
 * - The channels in RETRY_FOREVER (audit entries, staff changes: security-relevant) never go to the
 *   dead letters: they are retried, backing off, until their consumer succeeds.
 * - A message replayed from the dead letters names the group it is for (header `x-replay-group`);
 *   the other groups of the channel, which handled it the first time, acknowledge it unread.
 */
import { Adapters } from "@moleculer/channels";
import type { JsMsg } from "nats";
import { headers as natsHeaders } from "nats";
import type { ChannelName } from "./events";

/** Security-relevant channels: a lost message would lose an audit entry or keep a leaver's account enabled. */
export const RETRY_FOREVER: readonly ChannelName[] = ["audit.entry", "personnel.staff.changed"];

export const DEAD_LETTER_SEGMENT = "DEAD";
export const HEADER_ORIGINAL_CHANNEL = "x-original-channel";
export const HEADER_ORIGINAL_GROUP = "x-original-group";
export const HEADER_ERROR = "x-error";
export const HEADER_DELIVERIES = "x-deliveries";
export const HEADER_FAILED_AT = "x-failed-at";
export const HEADER_REPLAY_GROUP = "x-replay-group";

export interface RetryPolicy {
  /** Failed redeliveries before a message goes to the dead letters. */
  maxRetries: number;
  /** Delay before the first redelivery; doubled on each further one. */
  baseDelayMs: number;
  /** Longest delay between two deliveries. */
  maxDelayMs: number;
}

/** Delay before redelivering a message that failed on its `delivery`-th delivery (1-based). */
export function backoffMs(delivery: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">): number {
  const exp = Math.min(delivery - 1, 30);
  return Math.min(policy.baseDelayMs * 2 ** exp, policy.maxDelayMs);
}

/** What to do with a message whose handler failed on its `delivery`-th delivery. */
export function onFailure(
  delivery: number,
  channel: string,
  policy: RetryPolicy,
): { kind: "retry"; delayMs: number } | { kind: "deadLetter" } {
  const forever = (RETRY_FOREVER as readonly string[]).includes(channel);
  if (forever || delivery <= policy.maxRetries) return { kind: "retry", delayMs: backoffMs(delivery, policy) };
  return { kind: "deadLetter" };
}

/** The dead-letter subject of a (prefixed) channel subject: `<ns>.DEAD.<channel>`. */
export function deadLetterSubject(prefix: string, channel: ChannelName): string {
  return `${prefix}.${DEAD_LETTER_SEGMENT}.${channel}`;
}

interface Chan {
  id: string;
  name: string;
  group: string;
  unsubscribing?: boolean;
  handler(msg: unknown, raw: JsMsg): Promise<unknown>;
}

interface BaseNats {
  opts: { prefix?: string | null };
  logger: { warn(...a: unknown[]): void; error(...a: unknown[]): void; debug(...a: unknown[]): void };
  serializer: { deserialize(b: Buffer): unknown };
  client: { publish(subject: string, data: Uint8Array, opts: object): Promise<unknown> };
  addChannelActiveMessages(id: string, seqs: number[]): void;
  removeChannelActiveMessages(id: string, seqs: number[]): void;
}
type NatsCtor = new (opts: object) => BaseNats;

const NatsAdapter = (Adapters as unknown as { NATS: NatsCtor }).NATS;

export class MingbaiNatsAdapter extends NatsAdapter {
  private readonly policy: RetryPolicy;

  constructor(opts: object, policy: RetryPolicy) {
    super(opts);
    this.policy = policy;
  }

  /** The channel's name without the namespace prefix. */
  private channelOf(chan: Chan): ChannelName {
    const prefix = this.opts.prefix ? `${this.opts.prefix}.` : "";
    return (chan.name.startsWith(prefix) ? chan.name.slice(prefix.length) : chan.name) as ChannelName;
  }

  createConsumerHandler(chan: Chan) {
    return async (err: unknown, message: JsMsg | null) => {
      if (chan.unsubscribing) return;
      if (err) return void this.logger.error(err);
      if (!message) return;
      this.addChannelActiveMessages(chan.id, [message.seq]);
      try {
        const replayFor = message.headers?.get(HEADER_REPLAY_GROUP);
        if (replayFor && replayFor !== chan.group) return message.ack();
        message.working();
        await chan.handler(this.serializer.deserialize(Buffer.from(message.data)), message);
        message.ack();
      } catch (error) {
        await this.failed(chan, message, error as Error);
      } finally {
        this.removeChannelActiveMessages(chan.id, [message.seq]);
      }
    };
  }

  private async failed(chan: Chan, message: JsMsg, error: Error): Promise<void> {
    const delivery = message.info.redeliveryCount;
    const decision = onFailure(delivery, this.channelOf(chan), this.policy);
    if (decision.kind === "retry") {
      this.logger.warn(
        `'${chan.name}' (${chan.group}) failed on delivery ${delivery}, retrying in ${decision.delayMs} ms:`,
        error.message,
      );
      return message.nak(decision.delayMs);
    }
    try {
      const h = natsHeaders();
      h.set(HEADER_ORIGINAL_CHANNEL, this.channelOf(chan));
      h.set(HEADER_ORIGINAL_GROUP, chan.group);
      h.set(HEADER_ERROR, String(error.message ?? error).slice(0, 500));
      h.set(HEADER_DELIVERIES, String(delivery));
      h.set(HEADER_FAILED_AT, new Date().toISOString());
      await this.client.publish(deadLetterSubject(this.opts.prefix ?? "", this.channelOf(chan)), message.data, {
        headers: h,
      });
      this.logger.error(`'${chan.name}' (${chan.group}) failed ${delivery} times; moved to its dead letters:`, error);
      message.ack();
    } catch (dlError) {
      // Never drop: without a dead-letter copy the message stays in its stream and comes back.
      this.logger.error(`'${chan.name}' could not be dead-lettered; redelivering later:`, dlError);
      message.nak(this.policy.maxDelayMs);
    }
  }
}
