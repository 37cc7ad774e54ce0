/**
 * SMS reminders (短信提醒): node-cron runs the policies through `tick`, each reminder is stored under
 * its idempotency key before anything is sent, mirrored in-app, and sent through the SMS provider
 * with retries, a per-minute limit and crash recovery. Owns the `<namespace>_reminders` database.
 *
 * Never twice: (1) a Redis lock per tick minute lets one replica run it; (2) the message `_id` is the
 * idempotency key, inserted (unique) before the send, so a second replica or a repeated tick finds
 * it taken; (3) a Redis lock per message guards each send; (4) a message still `pending` after
 * SMS_PENDING_RECHECK_MINUTES (a crash, or a timeout with no answer) is looked up at the provider by
 * recipient, day and exact text: found → adopted as sent; not found → sent.
 */
import { DATE, ID } from "../../shared/params";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import cron, { type ScheduledTask } from "node-cron";
import type { Connection } from "mongoose";
import { audit } from "../../shared/audit";
import { canAdministerOrg, isCityWide, type CallMeta } from "../../shared/auth";
import { systemClock, type Clock } from "../../shared/clock";
import { config, ConfigError, type Config } from "../../shared/config";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { OverdueReport } from "../../shared/contracts/plans";
import {
  REMINDER_POLICIES,
  SMS_STATUSES,
  type DailySummaryRow,
  type OrgReminderSettings,
  type OrgReminderSettingsInput,
  type OrgReminderSettingsView,
  type SmsMessageView,
  type SmsSearchParams,
  type SmsSearchResult,
  type SmsStatus,
  type StatusCallbackMeta,
  type TickResult,
} from "../../shared/contracts/reminders";
import type { LogPolicy, OverdueItem } from "../../shared/contracts/worklog";
import { dbMixin, type DbVars } from "../../shared/db";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../../shared/errors";
import { DocWriter } from "../../shared/entry-writer";
import { publish } from "../../shared/events";
import { withLock, withLockWait } from "../../shared/locks";
import { redis } from "../../shared/redis";
import { localDate } from "../../shared/time";
import { normalisePhone } from "./phone";
import { planReminders, type Reminder } from "./policies";
import {
  registerModels,
  type DailyDoc,
  type DailyEntry,
  type MessageDoc,
  type Models,
  type SettingsDoc,
} from "./reminders.model";
import { STATUS_RANK, backoffMs, countDay, defaultSettings, inQuietHours, isHm, localHm } from "./rules";
import { ProviderError, TwilioProvider, smsConfigProblem, type SmsProvider } from "./sms-provider";

interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. */
  clock?: Clock;
  /** Overrides the provider built from config (another provider, or a test double). */
  provider?: SmsProvider | null;
  /** Test hooks: `afterAccepted` throws to simulate a crash between the provider's answer and our record. */
  faults?: { afterAccepted?: (id: string) => void };
  /** false: no node-cron schedule (tests drive `tick` themselves). */
  schedule?: boolean;
}

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface Vars {
  db: Connection;
  m: Models;
  clock: Clock;
  cfg: Config;
  provider: SmsProvider | null;
  task: ScheduledTask | null;
  /** Keys this process already stored, so repeated ticks don't even try to insert them again. */
  known: Set<string>;
  /** The daily summary: one document per organisation and day, one entry per message. */
  daily: DocWriter<DailyDoc>;
}

interface Counts {
  sent: number;
  failed: number;
  skipped: number;
}

interface Methods {
  runTick(at: Date): Promise<TickResult>;
  collect(at: Date): Promise<Reminder[]>;
  store(reminders: Reminder[], at: Date, counts: Counts): Promise<MessageDoc[]>;
  deliverAll(ids: string[], counts: Counts): Promise<void>;
  deliver(id: string): Promise<SmsStatus | "busy" | "gone">;
  transition(
    id: string,
    from: SmsStatus[],
    to: SmsStatus,
    set: Record<string, unknown>,
    detail: string | null,
  ): Promise<boolean>;
  tally(doc: Pick<MessageDoc, "_id" | "orgId" | "date">, status: SmsStatus, accepted: boolean): Promise<void>;
  recover(at: Date, counts: Counts): Promise<number>;
  settingsOf(orgId: string): Promise<OrgReminderSettings>;
  view(settings: OrgReminderSettings): OrgReminderSettingsView;
  allSettings(): Promise<Map<string, OrgReminderSettings>>;
  optedOut(ids: string[]): Promise<Set<string>>;
  acquireSendSlot(): Promise<void>;
  scopeOrg(ctx: Ctx<unknown>, orgId: string | undefined): string | undefined;
}

type This = Service<Settings> & DbVars & Vars & Methods;

const ADMIN_ROLES = ["hr_admin", "county_admin", "sys_admin", "leader"] as const;
const TICK_LOCK_MS = 10 * 60_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Twilio's words to our state machine; intermediate ones only add to the history. */
function mapProviderStatus(s: string): SmsStatus | null {
  if (s === "delivered" || s === "read") return "delivered";
  if (s === "failed" || s === "undelivered" || s === "canceled") return "failed";
  if (s === "sent") return "sent";
  return null;
}

const toView = (d: MessageDoc): SmsMessageView => ({
  id: d._id,
  policy: d.policy,
  orgId: d.orgId,
  recipientStaffId: d.recipientStaffId,
  recipientName: d.recipientName,
  subject: d.subject,
  period: d.period,
  to: d.to,
  body: d.body,
  status: d.status,
  provider: d.provider,
  providerId: d.providerId,
  error: d.error,
  attempts: d.attempts,
  date: d.date,
  createdAt: new Date(d.createdAt).toISOString(),
  updatedAt: new Date(d.updatedAt).toISOString(),
  history: (d.history ?? []).map((h) => ({ status: h.status, at: new Date(h.at).toISOString(), detail: h.detail })),
});

const POLICY_PARAMS = {
  type: "object",
  optional: true,
  strict: true,
  props: {
    enabled: "boolean|optional",
    essential: "boolean|optional",
    time: "string|optional|length:5",
    template: "string|optional|min:1|max:300",
    afterMissed: "number|optional|integer|min:1|max:60",
    weekday: "number|optional|integer|min:1|max:7",
    adminStaffIds: { type: "array", optional: true, max: 50, items: ID },
  },
};

const RemindersService: ServiceSchema<Settings, Methods, Vars> = {
  name: "reminders",
  mixins: [dbMixin("reminders")],

  /** Settings */
  settings: {
    $secureSettings: ["clock", "provider", "faults"],
  },

  /** Actions */
  actions: {
    /** Runs the policies for an instant (cron passes the real time; tests pass their clock's). */
    tick: {
      auth: "internal",
      params: { $$strict: true, at: "string|optional|max:40" },
      async handler(this: This, ctx: Ctx<{ at?: string }>): Promise<TickResult> {
        const at = ctx.params.at ? new Date(ctx.params.at) : this.clock.now();
        if (Number.isNaN(at.getTime()))
          throw new ValidationError("时间格式有误", [{ field: "at", message: "无效时间" }]);
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

    "messages.search": {
      rest: "GET /messages",
      auth: { roles: [...ADMIN_ROLES] },
      params: {
        $$strict: true,
        orgId: `${ID}|optional`,
        staffId: `${ID}|optional`,
        status: { type: "enum", values: SMS_STATUSES, optional: true },
        policy: { type: "enum", values: REMINDER_POLICIES, optional: true },
        date: `${DATE}|optional`,
        page: "number|optional|integer|min:1|max:10000|convert",
        limit: "number|optional|integer|min:1|max:200|convert",
      },
      async handler(this: This, ctx: Ctx<SmsSearchParams>): Promise<SmsSearchResult> {
        const p = ctx.params;
        const orgId = this.scopeOrg(ctx, p.orgId);
        const filter: Record<string, unknown> = {};
        if (orgId) filter.orgId = orgId;
        if (p.staffId) filter.recipientStaffId = p.staffId;
        if (p.status) filter.status = p.status;
        if (p.policy) filter.policy = p.policy;
        if (p.date) filter.date = p.date;
        const page = p.page ?? 1;
        const limit = p.limit ?? 50;
        const [docs, total] = await Promise.all([
          this.m.Message.find(filter)
            .sort({ createdAt: -1, _id: 1 })
            .skip((page - 1) * limit)
            .limit(limit)
            .lean<MessageDoc[]>(),
          this.m.Message.countDocuments(filter),
        ]);
        return { items: docs.map(toView), total, page, limit };
      },
    },

    "messages.get": {
      rest: "GET /messages/:id",
      auth: { roles: [...ADMIN_ROLES] },
      params: { $$strict: true, id: "string|min:1|max:300" },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<SmsMessageView> {
        const doc = await this.m.Message.findById(ctx.params.id).lean<MessageDoc>();
        if (!doc || !canAdministerOrg(ctx.meta.user!, doc.orgId))
          throw new NotFoundError("SMS_NOT_FOUND", "未找到该短信");
        return toView(doc);
      },
    },

    "summary.daily": {
      rest: "GET /summary",
      auth: { roles: [...ADMIN_ROLES] },
      params: { $$strict: true, date: DATE, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ date: string; orgId?: string }>): Promise<DailySummaryRow[]> {
        const orgId = this.scopeOrg(ctx, ctx.params.orgId);
        const orgIds = orgId
          ? [orgId]
          : (await ctx.call<{ id: string }[], object>("personnel.orgs.list", {}, { meta: { system: true } })).map(
              (o) => o.id,
            );
        // One _id lookup per organisation: no scan of the counters.
        const docs = await Promise.all(orgIds.map((id) => this.m.Daily.findById(`${id}|${ctx.params.date}`).lean()));
        return orgIds.map((id, i) => ({ orgId: id, date: ctx.params.date, ...countDay(docs[i]?.msgs ?? {}) }));
      },
    },

    "settings.get": {
      rest: "GET /settings/:orgId",
      auth: { roles: [...ADMIN_ROLES] },
      params: { $$strict: true, orgId: ID },
      async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<OrgReminderSettingsView> {
        this.scopeOrg(ctx, ctx.params.orgId);
        return this.view(await this.settingsOf(ctx.params.orgId));
      },
    },

    "settings.set": {
      rest: "PUT /settings/:orgId",
      auth: { roles: ["hr_admin", "county_admin", "sys_admin"] },
      params: Object.fromEntries([
        ["$$strict", true],
        ["orgId", ID],
        ...REMINDER_POLICIES.map((p) => [p, POLICY_PARAMS]),
      ]),
      async handler(
        this: This,
        ctx: Ctx<OrgReminderSettingsInput & { orgId: string }>,
      ): Promise<OrgReminderSettingsView> {
        const { orgId, ...input } = ctx.params;
        this.scopeOrg(ctx, orgId);
        const current = await this.settingsOf(orgId);
        const next = { ...current } as OrgReminderSettings;
        const errors: FieldError[] = [];
        for (const p of REMINDER_POLICIES) {
          const v = input[p];
          if (!v) continue;
          if (v.time !== undefined && !isHm(v.time)) errors.push({ field: `${p}.time`, message: "时间格式应为 HH:MM" });
          (next as unknown as Record<string, unknown>)[p] = { ...current[p], ...v };
        }
        if (errors.length) throw new ValidationError("提醒设置有误", errors);
        const now = this.clock.now();
        const by = ctx.meta.user?.accountId ?? null;
        const $set: Record<string, unknown> = { updatedAt: now, updatedBy: by };
        for (const p of REMINDER_POLICIES) $set[p] = next[p];
        await this.m.Settings.updateOne({ _id: orgId }, { $set }, { upsert: true });
        await audit(ctx, "reminders.settings.set", "success", `org:${orgId}`, { policies: Object.keys(input) });
        return this.view({ ...next, updatedAt: now.toISOString(), updatedBy: by });
      },
    },

    /** The caller's own choice: no non-essential SMS reminders. */
    "optOut.get": {
      rest: "GET /opt-out",
      params: { $$strict: true },
      async handler(this: This, ctx: Ctx): Promise<{ optedOut: boolean }> {
        const staffId = ctx.meta.user?.staffId;
        if (!staffId) return { optedOut: false };
        return { optedOut: (await this.optedOut([staffId])).has(staffId) };
      },
    },

    "optOut.set": {
      rest: "PUT /opt-out",
      params: { $$strict: true, optedOut: "boolean" },
      async handler(this: This, ctx: Ctx<{ optedOut: boolean }>): Promise<{ optedOut: boolean }> {
        const staffId = ctx.meta.user?.staffId;
        if (!staffId) throw new ForbiddenError("该账号没有对应的人员档案", "NO_STAFF_RECORD");
        await this.m.OptOut.updateOne(
          { _id: staffId },
          { $set: { optedOut: ctx.params.optedOut, updatedAt: this.clock.now() } },
          { upsert: true },
        );
        return { optedOut: ctx.params.optedOut };
      },
    },
  },

  /** Methods */
  methods: {
    scopeOrg(this: This, ctx: Ctx<unknown>, orgId: string | undefined): string | undefined {
      const user = ctx.meta.user;
      if (!user) return orgId;
      const scoped = orgId ?? (isCityWide(user) ? undefined : user.orgId);
      if (scoped && !canAdministerOrg(user, scoped)) throw new ForbiddenError("无权查看其他单位");
      return scoped;
    },

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
      const [day] = await this.broker.call<{ working: boolean }[], object>(
        "worklog.calendar.days",
        { from: today, to: today },
        { meta: { system: true } },
      );
      const reason = !day.working
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
        this.broker.call<DirectoryEntry[], object>("personnel.staff.directory", {}, sys),
        this.broker.call<OverdueItem[], object>("worklog.compliance.overdue", {}, { ...sys, timeout: 60_000 }),
        this.broker.call<LogPolicy[], object>("worklog.policies.list", {}, sys),
        // The plans service is optional: without an answer its policies simply wait.
        this.broker
          .call<OverdueReport[], object>("plans.overdue.list", { date: localDate(at) }, { ...sys, timeout: 30_000 })
          .catch((err: Error) => {
            this.logger.warn("plans.overdue.list gave no answer; plan reminders wait:", err.message);
            return null;
          }),
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

    view(this: This, settings: OrgReminderSettings): OrgReminderSettingsView {
      return { ...settings, quietHours: { start: this.cfg.quietHoursStart, end: this.cfg.quietHoursEnd } };
    },

    async settingsOf(this: This, orgId: string): Promise<OrgReminderSettings> {
      const doc = await this.m.Settings.findById(orgId).lean<SettingsDoc>();
      const def = defaultSettings(orgId);
      if (!doc) return def;
      const out = {
        ...def,
        updatedAt: doc.updatedAt ? new Date(doc.updatedAt).toISOString() : null,
        updatedBy: doc.updatedBy,
      };
      for (const p of REMINDER_POLICIES)
        (out as unknown as Record<string, unknown>)[p] = { ...def[p], ...(doc[p] ?? {}) };
      return out;
    },

    async allSettings(this: This): Promise<Map<string, OrgReminderSettings>> {
      const docs = await this.m.Settings.find().lean<SettingsDoc[]>();
      const out = new Map<string, OrgReminderSettings>();
      for (const d of docs) out.set(d._id, await this.settingsOf(d._id));
      return out;
    },

    async optedOut(this: This, ids: string[]): Promise<Set<string>> {
      // The opt-out list is small (people who chose it), so one read of it beats many lookups.
      const docs = await this.m.OptOut.find().lean();
      const wanted = new Set(ids);
      return new Set(docs.filter((d) => d.optedOut && wanted.has(d._id)).map((d) => d._id));
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.cfg = config();
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.known = new Set();
    this.daily = new DocWriter<DailyDoc>(this.m.Daily, { lockPrefix: "reminders:daily:" });
    this.task = null;
    if (this.settings.provider !== undefined) this.provider = this.settings.provider;
    else {
      const problem = smsConfigProblem(this.cfg);
      if (problem) throw new ConfigError(problem);
      this.provider = this.cfg.smsProvider === "twilio" ? new TwilioProvider(this.cfg) : null;
    }
  },

  started(this: This) {
    const expr = this.cfg.remindersCron;
    if (this.settings.schedule === false || !expr) return;
    if (!cron.validate(expr)) throw new ConfigError(`Invalid REMINDERS_CRON=${JSON.stringify(expr)}`);
    this.task = cron.schedule(
      expr,
      () => {
        this.known.clear();
        void this.broker
          .call("reminders.tick", { at: this.clock.now().toISOString() }, { meta: { system: true }, timeout: 0 })
          .catch((err: Error) => this.logger.error("Reminder run failed:", err.message));
      },
      { timezone: "Asia/Shanghai", noOverlap: true },
    );
  },

  async stopped(this: This) {
    await this.task?.stop();
  },
};

export default RemindersService as unknown as ServiceSchema;
