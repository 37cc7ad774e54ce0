/**
 * The dead-letter streams of the durable channels (one per channel, `<ns>.DEAD.<channel>`, filled by
 * shared/channel-adapter.ts): how many are waiting, what they are, and replaying them to the group
 * that failed them. Replayed messages leave the dead-letter stream.
 */
import type { ServiceBroker } from "moleculer";
import { headers as natsHeaders, type JetStreamClient, type JetStreamManager } from "nats";
import { streamName } from "./broker";
import {
  HEADER_DELIVERIES,
  HEADER_ERROR,
  HEADER_FAILED_AT,
  HEADER_ORIGINAL_GROUP,
  HEADER_REPLAY_GROUP,
  deadLetterSubject,
} from "./channel-adapter";
import type { DeadLetterItem } from "./contracts/audit";
import { CHANNEL_NAMES, type ChannelName } from "./events";

export type DeadLetter = DeadLetterItem;

export interface DeadLetterCounts {
  total: number;
  byChannel: Partial<Record<ChannelName, number>>;
}

interface Jet {
  manager: JetStreamManager;
  client: JetStreamClient;
  opts: { prefix?: string | null };
}

function jet(broker: ServiceBroker): Jet {
  const adapter = (broker as unknown as { channelAdapter?: Jet }).channelAdapter;
  if (!adapter?.manager) throw new Error("the channel adapter is not connected");
  return adapter;
}

const dlStream = (prefix: string, channel: ChannelName) => streamName(deadLetterSubject(prefix, channel));

/** The id of one of our events (JSON, see shared/events.ts), or null for anything else. */
function eventIdOf(data: Uint8Array): string | null {
  try {
    return (JSON.parse(new TextDecoder().decode(data)) as { id?: string }).id ?? null;
  } catch {
    return null;
  }
}

/** Messages waiting in each channel's dead-letter stream (channels with none are left out). */
export async function deadLetterCounts(broker: ServiceBroker): Promise<DeadLetterCounts> {
  const { manager, opts } = jet(broker);
  const byChannel: DeadLetterCounts["byChannel"] = {};
  let total = 0;
  await Promise.all(
    CHANNEL_NAMES.map(async (channel) => {
      const info = await manager.streams.info(dlStream(opts.prefix ?? "", channel)).catch(() => null);
      const n = info?.state.messages ?? 0;
      if (n) byChannel[channel] = n;
      total += n;
    }),
  );
  return { total, byChannel };
}

/** The dead letters of one channel, oldest first, at most `limit`. */
export async function listDeadLetters(broker: ServiceBroker, channel: ChannelName, limit = 100): Promise<DeadLetter[]> {
  const { manager, opts } = jet(broker);
  const stream = dlStream(opts.prefix ?? "", channel);
  const info = await manager.streams.info(stream);
  const out: DeadLetter[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && out.length < limit; seq++) {
    const m = await manager.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue; // replayed (deleted) already
    const eventId = eventIdOf(m.data);
    out.push({
      channel,
      seq,
      group: m.header?.get(HEADER_ORIGINAL_GROUP) ?? "",
      error: m.header?.get(HEADER_ERROR) ?? "",
      deliveries: Number(m.header?.get(HEADER_DELIVERIES) ?? 0),
      failedAt: m.header?.get(HEADER_FAILED_AT) ?? "",
      eventId,
    });
  }
  return out;
}

/**
 * Publishes the channel's dead letters (all of them, or those of `seqs`) again on the channel, for
 * the group that failed each, and removes them from the dead-letter stream. Returns how many.
 */
export async function replayDeadLetters(broker: ServiceBroker, channel: ChannelName, seqs?: number[]): Promise<number> {
  const { manager, client, opts } = jet(broker);
  const prefix = opts.prefix ?? "";
  const stream = dlStream(prefix, channel);
  const wanted = seqs ?? (await listDeadLetters(broker, channel, 10_000)).map((d) => d.seq);
  let replayed = 0;
  for (const seq of wanted) {
    const m = await manager.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    const h = natsHeaders();
    h.set(HEADER_REPLAY_GROUP, m.header?.get(HEADER_ORIGINAL_GROUP) ?? "");
    await client.publish(`${prefix}.${channel}`, m.data, { headers: h });
    await manager.streams.deleteMessage(stream, seq);
    replayed++;
  }
  return replayed;
}
