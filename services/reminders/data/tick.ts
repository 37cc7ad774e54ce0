/**
 * A run of the policies: one replica per minute, held on non-working days (on the copy of personnel's
 * calendar overrides) and in quiet hours, then
 * the stale sends recovered, the reminders planned, stored and sent.
 */
import { call } from "../../../shared/contracts/actions";
import type { TickResult } from "../../../shared/contracts/reminders";
import { redis } from "../../../shared/redis";
import { localDate } from "../../../shared/time";
import { planReminders, type Reminder } from "../policies";
import { defaultSettings, inQuietHours, localHm } from "../rules";
import type { Counts, This } from "../types";

const TICK_LOCK_MS = 10 * 60_000;

export const tickMethods = {
  async runTick(this: This, at: Date): Promise<TickResult> {
    const started = Date.now();
    const counts: Counts = { sent: 0, failed: 0, skipped: 0 };
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
    const base = { at: at.toISOString(), created: 0, recovered: 0, ...counts };
    // Held, not released: a repeated tick for the same minute finds it taken and does nothing.
    if ((await redis().set(`reminders:tick:${minute}`, this.broker.nodeID, "PX", TICK_LOCK_MS, "NX")) !== "OK")
      return { ran: false, allowed: false, reason: "another replica ran this minute", ...base, ms: 0 };
    const today = localDate(at);
    const hm = localHm(at);
    // The service's own copy of the calendar (one small read a minute), no longer a call to worklog.
    const working = (await this.calendarCopy.calendar()).isWorkingDay(today);
    const reason = !working
      ? "non-working day"
      : inQuietHours(hm, this.cfg.quietHoursStart, this.cfg.quietHoursEnd)
        ? "quiet hours"
        : undefined;
    // Held: nothing is created now; the next allowed run finds whatever is still overdue, under the same keys.
    if (reason) return { ran: true, allowed: false, reason, ...base, ms: Date.now() - started };
    const recovered = await this.recover(at, counts);
    const created = await this.store(await this.collect(at), at, counts);
    if (created.length)
      this.logger.debug(
        "Reminders created",
        created.map((d) => d._id),
      );
    await this.deliverAll(
      created.filter((d) => d.status === "pending").map((d) => d._id),
      counts,
    );
    const result = {
      ran: true,
      allowed: true,
      ...base,
      created: created.length,
      recovered,
      ...counts,
      ms: Date.now() - started,
    };
    if (result.created || result.recovered) this.logger.info("Reminder run", result);
    return result;
  },

  /** Asks the owning services who is overdue and plans the reminders for this instant. */
  async collect(this: This, at: Date): Promise<Reminder[]> {
    const sys = { meta: { system: true } };
    const [directory, worklogOverdue, policies, plansOverdue, settings] = await Promise.all([
      call(this.broker, "personnel.staff.directory", {}, sys),
      call(this.broker, "worklog.compliance.overdue", {}, { ...sys, timeout: 60_000 }),
      call(this.broker, "worklog.policies.list", {}, sys),
      // The plans service is optional: without an answer its policies simply wait.
      call(this.broker, "plans.overdue.list", { date: localDate(at) }, { ...sys, timeout: 30_000 }).catch(
        (err: Error) => {
          this.logger.warn("plans.overdue.list gave no answer; plan reminders wait:", err.message);
          return null;
        },
      ),
      this.allSettings(),
    ]);
    return planReminders({
      today: localDate(at),
      hm: localHm(at),
      settingsOf: (orgId) => settings.get(orgId) ?? defaultSettings(orgId),
      directory: new Map(directory.map((d) => [d.id, d])),
      worklogOverdue: worklogOverdue.filter((o) => new Date(o.overdueSince) <= at),
      orgLogAuthors: new Map(policies.map((p) => [p.orgId, p.orgLogAuthors])),
      plansOverdue,
    });
  },
};
