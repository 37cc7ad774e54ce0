/** The durable events that failed their consumers (dead letters): seen and replayed by system admins. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { DeadLettersView, ReplayDeadLettersParams } from "../../../shared/contracts/audit";
import { deadLetterCounts, listDeadLetters, replayDeadLetters } from "../../../shared/dead-letters";
import { CHANNEL_NAMES } from "../../../shared/events";
import { rolesOf } from "../../../shared/permissions";
import type { Ctx, This } from "../types";

/** Dead letters shown per channel; a replay takes them all. */
const SHOWN = 50;

export const deadLetterActions: Service.ServiceActionsSchema<This> = {
  "deadLetters.list": {
    rest: "GET /dead-letters",
    auth: rolesOf("events.replayDeadLetters"),
    params: { $$strict: true },
    async handler(this: This): Promise<DeadLettersView> {
      const counts = await deadLetterCounts(this.broker);
      const channels = Object.keys(counts.byChannel) as (keyof typeof counts.byChannel)[];
      const items = (await Promise.all(channels.map((c) => listDeadLetters(this.broker, c, SHOWN)))).flat();
      return { ...counts, items };
    },
  },
  "deadLetters.replay": {
    rest: "POST /dead-letters/replay",
    auth: rolesOf("events.replayDeadLetters"),
    params: {
      $$strict: true,
      channel: { type: "enum", values: CHANNEL_NAMES },
      seqs: { type: "array", items: "number|integer|positive", optional: true, max: 10_000 },
    },
    async handler(this: This, ctx: Ctx<ReplayDeadLettersParams>): Promise<{ replayed: number }> {
      const { channel, seqs } = ctx.params;
      const replayed = await replayDeadLetters(this.broker, channel, seqs);
      await audit(ctx, "events.deadLetters.replay", "success", `channel:${channel}`, {
        replayed,
        seqs: seqs ? seqs.map(String) : null,
      });
      return { replayed };
    },
  },
};
