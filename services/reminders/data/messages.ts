/** The messages: stored under their idempotency keys, moved between states, tallied per day. */
import type { SmsStatus } from "../../../shared/contracts/reminders";
import { publish } from "../../../shared/events";
import { withLockWait } from "../../../shared/locks";
import { localDate } from "../../../shared/time";
import { normalisePhone } from "../phone";
import type { Reminder } from "../policies";
import { STATUS_RANK } from "../rules";
import type { Counts, This } from "../types";
import type { DailyEntry, MessageDoc } from "./models";

export const messageMethods = {
  /**
   * Stores each new reminder under its key before anything is sent: `pending` when it will be
   * sent, `failed` for an unusable number, `skipped` for an opt-out or SMS switched off. Only the
   * replica whose insert wins mirrors it in-app and sends it.
   */
  async store(this: This, reminders: Reminder[], at: Date, counts: Counts): Promise<MessageDoc[]> {
    const fresh = reminders.filter((r) => !this.known.has(r.key));
    if (!fresh.length) return [];
    const optedOut = await this.optedOut([...new Set(fresh.map((r) => r.recipient.id))]);
    const date = localDate(at);
    const docs: MessageDoc[] = fresh.map((r) => {
      const phone = normalisePhone(r.recipient.phone);
      const skip = !this.provider
        ? "短信未启用，仅站内提醒"
        : !r.essential && optedOut.has(r.recipient.id)
          ? "本人已退订非必要提醒"
          : null;
      const status: SmsStatus = skip ? "skipped" : phone.ok ? "pending" : "failed";
      const detail = skip ?? (phone.ok ? null : phone.reason);
      return {
        _id: r.key,
        policy: r.policy,
        orgId: r.recipient.orgId,
        recipientStaffId: r.recipient.id,
        recipientName: r.recipient.name,
        subject: r.subject,
        period: r.period,
        to: phone.ok ? phone.e164 : (r.recipient.phone ?? null),
        body: r.body,
        status,
        provider: this.provider?.name ?? null,
        providerId: null,
        error: status === "failed" ? { code: "INVALID_PHONE", message: detail! } : null,
        attempts: 0,
        date,
        createdAt: at,
        updatedAt: at,
        history: [{ status, at, detail }],
      };
    });
    const pendingIds = docs.filter((d) => d.status === "pending").map((d) => ({ _id: d._id, createdAt: at }));
    // Outbox first: an outbox row without its message is harmless, a pending message without one would be lost.
    if (pendingIds.length)
      await this.m.Outbox.collection.insertMany(pendingIds as never[], { ordered: false }).catch((err) => {
        if (!(err as { writeErrors?: unknown[] }).writeErrors) throw err;
      });
    const taken = new Set<number>();
    try {
      await this.m.Message.collection.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
      if (!writeErrors) throw err;
      for (const w of [writeErrors].flat()) {
        if (w.code !== 11000) throw err;
        taken.add(w.index);
      }
    }
    for (const r of fresh) this.known.add(r.key);
    const created = docs.filter((_, i) => !taken.has(i));
    await Promise.all(
      created.map(async (d, i) => {
        const r = fresh[docs.indexOf(d)] ?? fresh[i];
        if (d.status === "failed") counts.failed++;
        else if (d.status === "skipped") counts.skipped++;
        if (d.status !== "pending") await this.tally(d, d.status, false);
        // The in-app mirror; the inbox stores it once per key even if published again.
        await publish(
          this.broker,
          "notification.requested",
          {
            recipientStaffId: r.recipient.id,
            kind: `reminders.${r.policy}`,
            title: r.title,
            body: r.body,
            link: r.link,
          },
          `reminder:${r.key}`,
        );
      }),
    );
    return created;
  },

  /** Moves a message between states if it is still in one of `from`; true when this call moved it. */
  async transition(
    this: This,
    id: string,
    from: SmsStatus[],
    to: SmsStatus,
    set: Record<string, unknown>,
    detail: string | null,
  ): Promise<boolean> {
    // Filters stay `_id`-only (FerretDB v1 scans the collection for anything else); the state
    // check is read-then-write, under the message's lock so no other writer interleaves. A
    // callback that arrives while the message is being sent waits for the send to be recorded.
    return withLockWait(`reminders:sms:${id}`, 30_000, async () => {
      const doc = await this.m.Message.findById(id, { status: 1 }).lean<Pick<MessageDoc, "status">>();
      if (!doc || !from.includes(doc.status)) return false;
      const now = new Date();
      await this.m.Message.updateOne(
        { _id: id },
        { $set: { ...set, status: to, updatedAt: now }, $push: { history: { status: to, at: now, detail } } },
      );
      return true;
    });
  },

  /**
   * Records a message's state in its organisation's day: one entry per message, ranked so that a
   * late or repeated record never moves it back, and counted on read, so no update is lost.
   */
  tally(this: This, doc: Pick<MessageDoc, "_id" | "orgId" | "date">, status: SmsStatus, accepted: boolean) {
    const entry: DailyEntry = { v: STATUS_RANK[status], s: status, a: accepted ? 1 : 0 };
    return this.daily.apply(`${doc.orgId}|${doc.date}`, { orgId: doc.orgId, date: doc.date }, "msgs", doc._id, entry);
  },
};
