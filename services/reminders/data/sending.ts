/** Sending: one message at a time under its lock, within the account's rate, and recovery of stale ones. */
import type { SmsStatus } from "../../../shared/contracts/reminders";
import { withLock } from "../../../shared/locks";
import { redis } from "../../../shared/redis";
import { backoffMs } from "../rules";
import type { Counts, This } from "../types";
import type { MessageDoc } from "./models";
import { ProviderError } from "./sms-provider";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const sendMethods = {
  async deliverAll(this: This, ids: string[], counts: Counts): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++];
        const status = await this.deliver(id).catch((err: Error) => {
          this.logger.error(`SMS ${id} left pending:`, err.message);
          return "pending" as const;
        });
        if (status === "sent") counts.sent++;
        else if (status === "failed") counts.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.cfg.smsConcurrency, ids.length) }, worker));
  },

  /**
   * Sends one pending message, holding its lock; retries transient errors with backoff. The
   * attempts are recorded with the outcome in one write: a crash before it leaves the message
   * pending with its outbox row, and `recover` then asks the provider before sending again.
   */
  async deliver(this: This, id: string): Promise<SmsStatus | "busy" | "gone"> {
    const provider = this.provider;
    if (!provider) return "gone";
    const cfg = this.cfg;
    const lockMs = cfg.smsMaxAttempts * (cfg.smsTimeoutMs + cfg.smsRetryBaseMs * 2 ** cfg.smsMaxAttempts) + 120_000;
    return withLock(`reminders:sms:${id}`, lockMs, async (): Promise<SmsStatus | "gone"> => {
      // Read under the lock: whoever held it before may have settled the message.
      const doc = await this.m.Message.findById(id).lean<MessageDoc>();
      if (!doc || doc.status !== "pending") {
        await this.m.Outbox.deleteOne({ _id: id });
        return "gone";
      }
      const tried: { status: string; at: Date; detail: string | null }[] = [];
      // Still pending and still locked by us, so nothing else writes it meanwhile.
      const settle = async (status: SmsStatus, set: Record<string, unknown>, detail: string | null) => {
        const at = new Date();
        await this.m.Message.updateOne(
          { _id: id },
          {
            $set: { ...set, status, attempts: doc.attempts + tried.length, updatedAt: at },
            $push: { history: { $each: [...tried, { status, at, detail }] } },
          },
        );
        await this.tally(doc, status, status === "sent");
        await this.m.Outbox.deleteOne({ _id: id });
        return status;
      };
      // An earlier attempt got no answer (or its process died): look before sending again.
      if (doc.attempts > 0) {
        const found = await provider.findSent(doc.to!, doc.body, new Date(doc.createdAt));
        if (found)
          return settle(
            "sent",
            { providerId: found.providerId },
            `adopted ${found.status} after an unanswered attempt`,
          );
      }
      for (;;) {
        await this.acquireSendSlot();
        tried.push({ status: "attempt", at: new Date(), detail: `#${doc.attempts + tried.length + 1}` });
        let accepted;
        try {
          accepted = await provider.send({ to: doc.to!, body: doc.body, reference: id });
        } catch (err) {
          const e = err instanceof ProviderError ? err : new ProviderError(String(err), "UNKNOWN", false);
          if (!e.transient || tried.length >= cfg.smsMaxAttempts)
            return settle("failed", { error: { code: e.code, message: e.message } }, `${e.code}: ${e.message}`);
          await sleep(backoffMs(tried.length, cfg.smsRetryBaseMs));
          if (e.ambiguous) {
            const found = await provider.findSent(doc.to!, doc.body, new Date(doc.createdAt));
            if (found)
              return settle("sent", { providerId: found.providerId }, `adopted ${found.status} after ${e.code}`);
          }
          continue;
        }
        this.settings.faults?.afterAccepted?.(id);
        return settle("sent", { providerId: accepted.providerId }, accepted.status);
      }
    });
  },

  /** Settles messages left pending longer than the recheck period (crash, lost answer, lock expired). */
  async recover(this: This, at: Date, counts: Counts): Promise<number> {
    if (!this.provider) return 0;
    const cutoff = at.getTime() - this.cfg.smsPendingRecheckMinutes * 60_000;
    const stale = (await this.m.Outbox.find().lean()).filter((o) => new Date(o.createdAt).getTime() <= cutoff);
    if (!stale.length) return 0;
    // A pending message with no recorded attempt may still have reached the provider just before a crash.
    await Promise.all(
      stale.map(async (o) => {
        const doc = await this.m.Message.findById(o._id, { status: 1, attempts: 1 }).lean<MessageDoc>();
        if (doc?.status === "pending" && !doc.attempts)
          await this.m.Message.updateOne({ _id: o._id }, { $set: { attempts: 1 } });
      }),
    );
    const before = { ...counts };
    await this.deliverAll(
      stale.map((o) => o._id),
      counts,
    );
    return counts.sent - before.sent + (counts.failed - before.failed);
  },

  async acquireSendSlot(this: This): Promise<void> {
    const limit = this.cfg.smsPerMinuteLimit;
    if (!limit) return;
    // The account's limit is real time, whatever clock the policies run on.
    for (;;) {
      const minute = Math.floor(Date.now() / 60_000);
      const key = `reminders:rate:${minute}`;
      const n = await redis().incr(key);
      if (n === 1) await redis().pexpire(key, 120_000);
      if (n <= limit) return;
      await sleep((minute + 1) * 60_000 - Date.now() + 5);
    }
  },
};
