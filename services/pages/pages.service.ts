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
import { ID } from "../../shared/params";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import { dateOf } from "../../shared/calendar";
import { systemClock, type Clock } from "../../shared/clock";
import type {
  AttendanceSummary,
  DivisionPage,
  OrgPage,
  PersonPage,
  Section,
  Unavailable,
} from "../../shared/contracts/pages";
import type {
  AttendanceMonthResult,
  Division,
  OrgWithDivisions,
  Post,
  StaffDetail,
  StaffListResult,
} from "../../shared/contracts/personnel";
import type { DivisionPlans, OrgPlans, PersonPlans } from "../../shared/contracts/plans";
import type { ComplianceReport, FeedResult } from "../../shared/contracts/worklog";
import { NotFoundError } from "../../shared/errors";
import type { DomainEvent } from "../../shared/events";
import { localDate } from "../../shared/time";
import { RefreshingCache } from "./cache";
import { attendanceCounts, forViewer, indexPeople, profileOf, seesAttendance, type People } from "./people";

interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** The cache key of an organisation's month of attendance: `attendance:<orgId>:<YYYY-MM>`. */
const attendanceKey = (orgId: string, date: string): string => `attendance:${orgId}:${date.slice(0, 7)}`;

/** An organisation's month of attendance so far, and the day it was loaded on. */
interface LoadedMonth {
  today: string;
  month: AttendanceMonthResult;
}

interface Vars {
  clock: Clock;
  cache: RefreshingCache;
}

interface Methods {
  today(): string;
  section<T>(p: Promise<T>, what: string): Promise<Section<T>>;
  orgs(): Promise<OrgWithDivisions[]>;
  people(): Promise<People>;
  loadPeople(): Promise<People>;
  profile(staffId: string): Promise<StaffDetail>;
  orgOf(orgId: string): Promise<OrgWithDivisions>;
  divisionOf(divisionId: string): Promise<{ division: Division; org: OrgWithDivisions }>;
  attendanceMonth(orgId: string, today: string): Promise<AttendanceMonthResult>;
  attendance(
    ctx: Ctx<unknown>,
    scope: { orgId: string; divisionId: string; staffId?: string },
    today: string,
  ): Promise<Section<AttendanceSummary | null>>;
  warm(): Promise<void>;
  invalidate(keys: string[], announce?: boolean): void;
}

type This = Service<Settings> & Vars & Methods;

const RECENT_LOGS = 5;
const SYSTEM = { meta: { system: true }, timeout: 120_000 };
/** Staff rows per bulk call (personnel's page limit). */
const STAFF_PAGE = 200;
/**
 * Ages after which a read reloads in the background (the old value is served meanwhile). Staff changes
 * arrive as events; the age covers what personnel announces no event for (post B holders, org names).
 */
const PEOPLE_TTL_MS = 10 * 60_000;
/** Attendance entries arrive as events; the age is a safety net. */
const ATTENDANCE_TTL_MS = 10 * 60_000;

const isForbidden = (err: unknown): boolean => [401, 403].includes((err as { code?: number }).code ?? 0);
const unavailable = (reason: Unavailable["reason"]): Unavailable => ({ unavailable: true, reason });

/** This month so far: its first day and today. */
const monthSoFar = (today: string): { from: string; to: string; year: number; month: number } => {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return { from: dateOf(year, month, 1), to: today, year, month };
};

const PagesService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "pages",

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    person: {
      rest: "GET /person/:staffId",
      params: { $$strict: true, staffId: ID },
      async handler(this: This, ctx: Ctx<{ staffId: string }>): Promise<PersonPage> {
        const { staffId } = ctx.params;
        const today = this.today();
        const m = monthSoFar(today);
        const profile = await this.profile(staffId);
        const [plans, recent, compliance, attendance] = await Promise.all([
          this.section(ctx.call<PersonPlans, object>("plans.summary.person", { staffId, date: today }), "plans"),
          this.section(
            ctx.call<FeedResult, object>("worklog.logs.feed", { authorId: staffId, limit: RECENT_LOGS }),
            "logs",
          ),
          this.section(
            ctx.call<ComplianceReport, object>("worklog.compliance.report", {
              from: m.from,
              to: m.to,
              orgId: profile.orgId,
            }),
            "compliance",
          ),
          this.attendance(ctx, { orgId: profile.orgId, divisionId: profile.divisionId, staffId }, today),
        ]);
        let logs: PersonPage["logs"];
        if ("unavailable" in recent) logs = recent;
        else if ("unavailable" in compliance) logs = compliance;
        else
          logs = {
            recent: recent.items,
            compliance: compliance.people.find((p) => p.staffId === staffId) ?? null,
            from: m.from,
            to: m.to,
          };
        return { staffId, profile: forViewer(profile, ctx.meta), plans, logs, attendance, indicators: null };
      },
    },

    division: {
      rest: "GET /division/:divisionId",
      params: { $$strict: true, divisionId: ID },
      async handler(this: This, ctx: Ctx<{ divisionId: string }>): Promise<DivisionPage> {
        const { divisionId } = ctx.params;
        const today = this.today();
        const m = monthSoFar(today);
        const { division, org } = await this.divisionOf(divisionId);
        const [plans, recent, compliance, members, attendance] = await Promise.all([
          this.section(ctx.call<DivisionPlans, object>("plans.summary.division", { divisionId, date: today }), "plans"),
          this.section(ctx.call<FeedResult, object>("worklog.logs.feed", { divisionId, limit: RECENT_LOGS }), "logs"),
          this.section(
            ctx.call<ComplianceReport, object>("worklog.compliance.report", { from: m.from, to: m.to, orgId: org.id }),
            "compliance",
          ),
          this.section(
            this.people().then((p) => p.members.get(divisionId) ?? []),
            "members",
          ),
          this.attendance(ctx, { orgId: org.id, divisionId }, today),
        ]);
        const rates = new Map("unavailable" in compliance ? [] : compliance.people.map((p) => [p.staffId, p]));
        const { divisions: _all, ...orgOnly } = org;
        return {
          division,
          org: orgOnly,
          plans,
          logs:
            "unavailable" in recent
              ? recent
              : "unavailable" in compliance
                ? compliance
                : {
                    recent: recent.items,
                    compliance: compliance.divisions.find((d) => d.id === divisionId) ?? null,
                    from: m.from,
                    to: m.to,
                  },
          members:
            "unavailable" in members
              ? members
              : members.map((s) => ({
                  ...forViewer(s, ctx.meta),
                  compliance: rates.get(s.id) ?? null,
                })),
          attendance,
          indicators: null,
        };
      },
    },

    org: {
      rest: "GET /org/:orgId",
      params: { $$strict: true, orgId: ID },
      async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<OrgPage> {
        const { orgId } = ctx.params;
        const today = this.today();
        const m = monthSoFar(today);
        const org = await this.orgOf(orgId);
        const [plans, compliance] = await Promise.all([
          this.section(ctx.call<OrgPlans, object>("plans.summary.org", { orgId, date: today }), "plans"),
          this.section(
            ctx.call<ComplianceReport, object>("worklog.compliance.report", { from: m.from, to: m.to, orgId }),
            "compliance",
          ),
        ]);
        const { divisions, ...orgOnly } = org;
        return {
          org: orgOnly,
          divisions,
          plans,
          compliance:
            "unavailable" in compliance
              ? compliance
              : {
                  org: compliance.orgs.find((o) => o.id === orgId) ?? null,
                  divisions: compliance.divisions,
                  from: m.from,
                  to: m.to,
                },
          indicators: null,
        };
      },
    },
  },

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
  methods: {
    today(this: This): string {
      return localDate(this.clock.now());
    },

    /** A section's data, or a marker when the caller may not see it or its service failed. */
    async section<T>(this: This, p: Promise<T>, what: string): Promise<Section<T>> {
      try {
        return await p;
      } catch (err) {
        if (isForbidden(err)) return unavailable("forbidden");
        this.logger.warn(`Page section "${what}" failed:`, (err as Error).message);
        return unavailable("error");
      }
    },

    orgs(this: This): Promise<OrgWithDivisions[]> {
      return this.cache.get("orgs", () =>
        this.broker.call<OrgWithDivisions[], object>("personnel.orgs.list", {}, SYSTEM),
      );
    },

    people(this: This): Promise<People> {
      return this.cache.get("people", () => this.loadPeople());
    },

    /** Every staff record (all statuses, personal fields included) and every post, in bulk calls. */
    async loadPeople(this: This): Promise<People> {
      const page = (n: number) =>
        this.broker.call<StaffListResult, object>("personnel.staff.list", { page: n, limit: STAFF_PAGE }, SYSTEM);
      const [first, orgs] = await Promise.all([page(1), this.orgs()]);
      const pages = Math.ceil(first.total / STAFF_PAGE);
      const [rest, posts] = await Promise.all([
        Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => page(i + 2))),
        Promise.all(orgs.map((o) => this.broker.call<Post[], object>("personnel.posts.list", { orgId: o.id }, SYSTEM))),
      ]);
      return indexPeople(
        [first, ...rest].flatMap((r) => r.rows),
        posts.flat(),
      );
    },

    /** A profile from the copy; one newer than the copy is asked of personnel (404 when unknown). */
    async profile(this: This, staffId: string): Promise<StaffDetail> {
      const known = profileOf(await this.people(), staffId);
      if (known) return known;
      const fresh = await this.broker.call<StaffDetail, object>("personnel.staff.get", { id: staffId }, SYSTEM);
      this.invalidate(["people"]);
      return fresh;
    },

    async orgOf(this: This, orgId: string): Promise<OrgWithDivisions> {
      const org = (await this.orgs()).find((o) => o.id === orgId);
      if (!org) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      return org;
    },

    async divisionOf(this: This, divisionId: string): Promise<{ division: Division; org: OrgWithDivisions }> {
      for (const org of await this.orgs()) {
        const division = org.divisions.find((d) => d.id === divisionId);
        if (division) return { division, org };
      }
      throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
    },

    /**
     * An organisation's attendance this month, in one bulk call, kept per month. On a new day the kept
     * month is still served while the day's one loads in the background (a new working day changes little).
     */
    attendanceMonth(this: This, orgId: string, today: string): Promise<AttendanceMonthResult> {
      const m = monthSoFar(today);
      const key = attendanceKey(orgId, today);
      const load = async (): Promise<LoadedMonth> => ({
        today,
        month: await this.broker.call<AttendanceMonthResult, object>(
          "personnel.attendance.month",
          { year: m.year, month: m.month, orgId },
          SYSTEM,
        ),
      });
      return this.cache.get(key, load, ATTENDANCE_TTL_MS).then((loaded) => {
        if (loaded.today !== today) this.cache.invalidate((k) => k === key);
        return loaded.month;
      });
    },

    /** This month's attendance counts of a person or a division, for the viewers personnel shows them to. */
    async attendance(
      this: This,
      ctx: Ctx<unknown>,
      scope: { orgId: string; divisionId: string; staffId?: string },
      today: string,
    ): Promise<Section<AttendanceSummary | null>> {
      if (!seesAttendance(ctx.meta, scope.orgId, scope.divisionId, scope.staffId ?? null))
        return unavailable("forbidden");
      const m = monthSoFar(today);
      return this.section(
        this.attendanceMonth(scope.orgId, today).then((month) => {
          const counts = attendanceCounts(month, scope.staffId ? { staffId: scope.staffId } : scope);
          return counts ? { year: m.year, month: m.month, workingDays: month.workingDays.length, counts } : null;
        }),
        "attendance",
      );
    },

    /** Loads the copies a page needs, one call at a time so that start-up does not flood the services. */
    async warm(this: This): Promise<void> {
      await this.people();
      const today = this.today();
      for (const org of await this.orgs()) await this.attendanceMonth(org.id, today);
    },

    /** Reloads the cached copies named (or under a named prefix) here and on the other pages instances. */
    invalidate(this: This, keys: string[], announce = true): void {
      this.cache.invalidate((key) => keys.some((k) => key === k || key.startsWith(`${k}:`)));
      if (announce)
        this.broker
          .broadcast("pages.cache.invalidate", { keys }, { groups: ["pages"] })
          .catch((err: Error) => this.logger.warn("cache invalidation not sent:", err.message));
    },
  },

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
