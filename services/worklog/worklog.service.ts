/**
 * Work logs (工作日志): writing, editing with full history, withdrawing with a tombstone, the public
 * feed, Chinese keyword search, reads, comments with @mentions, useful marks, per-organisation
 * policies, and compliance (on a copy of personnel's working-day overrides). Owns the `<namespace>_worklog` database.
 */
import type { Context, ServiceSchema } from "moleculer";
import { OverrideCopy } from "../../shared/calendar";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { isDuplicateKey } from "../../shared/params";
import { redis } from "../../shared/redis";
import { RedisJournal } from "../../shared/store/change-journal";
import { GroupCommit } from "../../shared/store/queue";
import { RefreshingCache } from "../../shared/store/refreshing-cache";
import { complianceActions } from "./actions/compliance";
import { directoryActions } from "./actions/directory";
import { interactionActions } from "./actions/interaction";
import { policyActions } from "./actions/policies";
import { readingActions } from "./actions/reading";
import { writingActions } from "./actions/writing";
import { SMALL_TTL_MS, cacheMethods } from "./data/cache";
import { complianceEventMethods } from "./data/compliance-events";
import { directoryMethods } from "./data/directory";
import { logMethods } from "./data/logs";
import { registerModels } from "./data/models";
import { policyMethods } from "./data/policies";
import { indexMethods } from "./data/read-index";
import type { CacheKind, Methods, Settings, This, Vars } from "./types";

/** Reading the journal costs one Redis XRANGE (usually empty), so the catch-up runs often. */
const INDEX_CATCH_UP_MS = 5_000;

const WorklogService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "worklog",
  mixins: [dbMixin("worklog")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...writingActions,
    ...readingActions,
    ...interactionActions,
    ...policyActions,
    ...complianceActions,
    ...directoryActions,
  },

  /**
   * Events: cache invalidation and changed logs between worklog instances. Not durable: the caches
   * also expire, and the read index catches up from the change journal.
   */
  events: {
    "worklog.cache.invalidate": {
      params: {
        kinds: { type: "array", items: "string" },
        /** [log id, change stamp] of logs changed on the sender */
        logs: { type: "array", optional: true, items: { type: "array", length: 2, items: "string" } },
      },
      handler(this: This, ctx: Context<{ kinds: CacheKind[]; logs?: [string, string][] }>) {
        if (ctx.nodeID === this.broker.nodeID) return;
        this.invalidate(ctx.params.kinds, false);
        if (ctx.params.kinds.includes("index"))
          this.buildIndex().catch((err: Error) => this.logger.error("Read index not rebuilt:", err.message));
        if (ctx.params.logs?.length)
          this.sync
            .remote(ctx.params.logs)
            .catch((err: Error) => this.logger.warn("Changed logs not re-read (the catch-up will):", err.message));
      },
    },
  },

  /** Durable channels */
  channels: {
    "personnel.staff.changed": {
      group: "worklog",
      async handler(this: This, event: DomainEvent<"personnel.staff.changed">) {
        // Idempotent on the record's version: an older or repeated event matches nothing and changes nothing.
        const s = event.data;
        try {
          await this.m.Staff.updateOne(
            { _id: s.staffId, version: { $lt: s.version } },
            { $set: { name: s.name, orgId: s.orgId, divisionId: s.divisionId, status: s.status, version: s.version } },
            { upsert: true },
          );
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        this.invalidate(["staff", "policies"]);
        // Their compliance as of this record (organisation, its policy): consumers need wait for nothing.
        await this.staffCompliance(s, Number(this.today().slice(0, 4)));
      },
    },
    "calendar.override.changed": {
      group: "worklog",
      async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
        await this.calendarCopy.apply(event.data);
        this.invalidate(["calendar"]);
        // Everyone's obligations of that year may have moved: assessment hears it from worklog.
        this.complianceMoved(Number(event.data.date.slice(0, 4)));
      },
    },
  },

  /** Methods (`satisfies`: each one types.ts declares is implemented, with that signature) */
  methods: {
    ...policyMethods,
    ...directoryMethods,
    ...cacheMethods,
    ...indexMethods,
    ...logMethods,
    ...complianceEventMethods,
  } satisfies Methods,

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.calendarCopy = new OverrideCopy(this.m.Override, this.broker);
    this.cache = new RefreshingCache({
      ttlMs: SMALL_TTL_MS,
      onError: (key, err) => this.logger.warn(`Cache ${key} not refreshed:`, err.message),
    });
    this.rankings = new Map();
    this.journal = new RedisJournal(redis, "worklog:index-journal");
    this.logInserts = new GroupCommit((docs, opts) => this.m.Log.collection.insertMany(docs as never[], opts));
  },

  async started(this: This) {
    // Collections of earlier designs, now read by nothing: the compliance buckets (compliance comes
    // from the read index) and the change journal (now a Redis stream, shared/store/change-journal.ts).
    for (const legacy of ["compliance_months", "index_journal", "index_writers"])
      await this.db.dropCollection(legacy).catch(() => undefined);
    // The directory copy is filled once personnel is up; events keep it current afterwards.
    if ((await this.m.Staff.countDocuments({}).limit(1)) === 0)
      void this.broker
        .waitForServices(["personnel"], 120_000)
        .then(() => this.syncDirectory())
        .catch((err) => this.logger.warn("Staff directory not copied yet:", (err as Error).message));
    // Indexes of the logs from before the read index: every publish paid for them and nothing reads them now.
    const legacy = (await this.m.Log.collection.indexes().catch(() => [])).filter((i) => i.name !== "_id_");
    for (const i of legacy) await this.m.Log.collection.dropIndex(i.name!);
    // The small copies compliance and publishing need, loaded before the first request needs them.
    await Promise.all([this.policies(), this.calendar()]).catch((err: Error) =>
      this.logger.warn("Policies and calendar not loaded yet:", err.message),
    );
    await this.buildIndex();
    this.catchUpTimer = setInterval(() => {
      this.catchUp().catch((err: Error) => this.logger.warn("Read index catch-up failed:", err.message));
    }, this.settings.indexCatchUpMs ?? INDEX_CATCH_UP_MS);
  },

  stopped(this: This) {
    clearInterval(this.catchUpTimer);
  },
};

export default WorklogService as unknown as ServiceSchema;
