/** The two ways into the delivery pipeline: a run of the policies, and the provider's status callbacks. */
import type { Context, Service } from "moleculer";
import type { CallMeta } from "../../../shared/auth";
import type { SmsStatus, StatusCallbackMeta, TickResult } from "../../../shared/contracts/reminders";
import { ForbiddenError, ValidationError } from "../../../shared/errors";
import type { MessageDoc } from "../data/models";
import type { Ctx, This } from "../types";

/** Twilio's words to our state machine; intermediate ones only add to the history. */
function mapProviderStatus(s: string): SmsStatus | null {
  if (s === "delivered" || s === "read") return "delivered";
  if (s === "failed" || s === "undelivered" || s === "canceled") return "failed";
  if (s === "sent") return "sent";
  return null;
}

export const deliveryActions: Service.ServiceActionsSchema<This> = {
  /** Runs the policies for an instant (cron passes the real time; tests pass their clock's). */
  tick: {
    auth: "internal",
    params: { $$strict: true, at: "string|optional|max:40" },
    async handler(this: This, ctx: Ctx<{ at?: string }>): Promise<TickResult> {
      const at = ctx.params.at ? new Date(ctx.params.at) : this.clock.now();
      if (Number.isNaN(at.getTime())) throw new ValidationError("时间格式有误", [{ field: "at", message: "无效时间" }]);
      return this.runTick(at);
    },
  },

  /** A Twilio status callback, as the gateway's /api/sms/status route passes it on. */
  "sms.status": {
    auth: "public",
    params: {},
    async handler(this: This, ctx: Context<Record<string, unknown>, CallMeta & { twilio?: StatusCallbackMeta }>) {
      const meta = ctx.meta.twilio ?? {};
      const base = new URL(this.cfg.twilioStatusCallbackUrl || "http://invalid/");
      const url = `${base.origin}${base.pathname}${meta.query ? `?${meta.query}` : ""}`;
      const update = this.provider?.parseCallback(url, meta.form ?? {}, meta.signature) ?? null;
      if (!update) {
        this.logger.warn("Rejected an SMS status callback with a bad signature", { ip: ctx.meta.ip });
        throw new ForbiddenError("回调签名无效", "BAD_SIGNATURE");
      }
      const doc = update.reference
        ? await this.m.Message.findById(update.reference).lean<MessageDoc>()
        : await this.m.Message.findOne({ providerId: update.providerId }).lean<MessageDoc>();
      if (!doc) return { ok: true, known: false };
      const to = mapProviderStatus(update.status);
      const detail = `${update.status}${update.errorCode ? ` (${update.errorCode})` : ""}`;
      const set: Record<string, unknown> = { providerId: doc.providerId ?? update.providerId };
      if (to === "delivered") {
        // Straight from pending when the callback beats our own record of the provider's answer.
        if (await this.transition(doc._id, ["pending", "sent"], "delivered", set, detail))
          await this.tally(doc, "delivered", true);
      } else if (to === "failed") {
        set.error = { code: update.errorCode ?? update.status, message: `provider: ${update.status}` };
        // A failure reported by the provider comes after it accepted the message.
        if (await this.transition(doc._id, ["pending", "sent"], "failed", set, detail))
          await this.tally(doc, "failed", true);
      } else if (to === "sent" && (await this.transition(doc._id, ["pending"], "sent", set, detail))) {
        await this.tally(doc, "sent", true);
      } else {
        await this.m.Message.updateOne(
          { _id: doc._id },
          { $push: { history: { status: "provider", at: this.clock.now(), detail } } },
        );
      }
      return { ok: true, known: true };
    },
  },
};
