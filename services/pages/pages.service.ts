/**
 * Pages: the person, division and organisation pages, each one call, composed in parallel from
 * personnel, plans and worklog. No database, but in-process copies of what personnel answers slowly
 * on FerretDB (it scans whole collections for one person's profile or one division's month):
 * - every staff record and post (profiles, A/B post partners, members), loaded in bulk and reloaded
 *   on `personnel.staff.changed`;
 * - each organisation's month of attendance, reloaded on `personnel.attendance.changed`.
 * A reload never holds a page up: the old copy is served until it lands (see cache.ts). The shared
 * rules of shared/auth.ts decide what each viewer sees of these copies. Plans and worklog sections
 * are called on the caller's context, so those services apply the caller's rights themselves.
 */
import type { Context, ServiceSchema } from "moleculer";
import { systemClock } from "../../shared/clock";
import type { DomainEvent } from "../../shared/events";
import { pageActions } from "./actions/pages";
import { RefreshingCache } from "../../shared/store/refreshing-cache";
import { attendanceKey, copyMethods, PEOPLE_TTL_MS } from "./data/copies";
import type { Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const PagesService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "pages",

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: { ...pageActions },

  /** Events: cache invalidation between pages instances (not durable; the caches also age out). */
  events: {
    "pages.cache.invalidate": {
      params: { keys: { type: "array", items: "string" } },
      handler(this: This, ctx: Context<{ keys: string[] }>) {
        if (ctx.nodeID !== this.broker.nodeID) this.invalidate(ctx.params.keys, false);
      },
    },
  },

  /** Durable channels */
  channels: {
    "personnel.staff.changed": {
      group: "pages",
      handler(this: This, _event: DomainEvent<"personnel.staff.changed">) {
        // Idempotent: a redelivered event only reloads the copy once more.
        this.invalidate(["people"]);
      },
    },
    "personnel.attendance.changed": {
      group: "pages",
      handler(this: This, event: DomainEvent<"personnel.attendance.changed">) {
        this.invalidate([...new Set(event.data.entries.map((e) => attendanceKey(e.orgId, e.date)))]);
      },
    },
  },

  /** Methods */
  methods: { ...copyMethods, ...viewMethods } satisfies Methods,

  /** Lifecycle */
  created(this: This) {
    this.clock = this.settings.clock ?? systemClock;
    this.cache = new RefreshingCache({
      ttlMs: PEOPLE_TTL_MS,
      now: () => this.clock.now().getTime(),
      onError: (key, err) => this.logger.warn(`Reloading "${key}" failed; the old copy stays:`, err.message),
    });
  },

  started(this: This) {
    // Warm the copies without holding up start-up; a page that comes first waits for the same load.
    this.broker
      .waitForServices(["personnel"])
      .then(() => this.warm())
      .catch((err: Error) => this.logger.warn("Personnel copies not loaded yet:", err.message));
  },

  stopped(this: This) {
    this.cache.clear();
  },
};

export default PagesService as unknown as ServiceSchema;
