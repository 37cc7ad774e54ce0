/**
 * Pages: the person, division and organisation pages, each one call, composed in parallel from
 * personnel, plans and worklog. Stateless (no database). Calls go out on the caller's context, so
 * every owning service applies the caller's rights (personal fields, attendance) itself.
 */
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
  StaffDetail,
  StaffListResult,
} from "../../shared/contracts/personnel";
import type { DivisionPlans, OrgPlans, PersonPlans } from "../../shared/contracts/plans";
import type { ComplianceReport, FeedResult } from "../../shared/contracts/worklog";
import { NotFoundError } from "../../shared/errors";
import { localDate } from "../../shared/time";

interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface Vars {
  clock: Clock;
}

interface Methods {
  today(): string;
  section<T>(p: Promise<T>, what: string): Promise<Section<T>>;
  orgOf(ctx: Ctx<unknown>, orgId: string): Promise<OrgWithDivisions>;
  divisionOf(ctx: Ctx<unknown>, divisionId: string): Promise<{ division: Division; org: OrgWithDivisions }>;
}

type This = Service<Settings> & Vars & Methods;

const ID = "string|min:1|max:64|trim";
const RECENT_LOGS = 5;

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
        const profileCall = ctx.call<StaffDetail, object>("personnel.staff.get", { id: staffId });
        // Sections that need the person's organisation or division start as soon as the profile is in.
        const afterProfile = profileCall.then((p) => ({
          compliance: this.section(
            ctx.call<ComplianceReport, object>("worklog.compliance.report", { from: m.from, to: m.to, orgId: p.orgId }),
            "compliance",
          ),
          attendance: this.section(
            ctx.call<AttendanceMonthResult, object>("personnel.attendance.month", {
              year: m.year,
              month: m.month,
              divisionId: p.divisionId,
            }),
            "attendance",
          ),
        }));
        afterProfile.catch(() => undefined);
        const [profile, plans, recent] = await Promise.all([
          profileCall,
          this.section(ctx.call<PersonPlans, object>("plans.summary.person", { staffId, date: today }), "plans"),
          this.section(
            ctx.call<FeedResult, object>("worklog.logs.feed", { authorId: staffId, limit: RECENT_LOGS }),
            "logs",
          ),
        ]);
        const later = await afterProfile;
        const [compliance, attendance] = await Promise.all([later.compliance, later.attendance]);
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
        return {
          staffId,
          profile,
          plans,
          logs,
          attendance: attendanceOf(attendance, (a) => a.people.find((p) => p.staffId === staffId)?.counts, m),
          indicators: null,
        };
      },
    },

    division: {
      rest: "GET /division/:divisionId",
      params: { $$strict: true, divisionId: ID },
      async handler(this: This, ctx: Ctx<{ divisionId: string }>): Promise<DivisionPage> {
        const { divisionId } = ctx.params;
        const today = this.today();
        const m = monthSoFar(today);
        const { division, org } = await this.divisionOf(ctx, divisionId);
        const [plans, recent, compliance, members, attendance] = await Promise.all([
          this.section(ctx.call<DivisionPlans, object>("plans.summary.division", { divisionId, date: today }), "plans"),
          this.section(ctx.call<FeedResult, object>("worklog.logs.feed", { divisionId, limit: RECENT_LOGS }), "logs"),
          this.section(
            ctx.call<ComplianceReport, object>("worklog.compliance.report", { from: m.from, to: m.to, orgId: org.id }),
            "compliance",
          ),
          this.section(
            ctx.call<StaffListResult, object>("personnel.staff.list", { divisionId, status: "active", limit: 200 }),
            "members",
          ),
          this.section(
            ctx.call<AttendanceMonthResult, object>("personnel.attendance.month", {
              year: m.year,
              month: m.month,
              divisionId,
            }),
            "attendance",
          ),
        ]);
        const rates = "unavailable" in compliance ? null : compliance;
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
              : members.rows.map((s) => ({
                  ...s,
                  compliance: rates?.people.find((p) => p.staffId === s.id) ?? null,
                })),
          attendance: attendanceOf(attendance, (a) => a.divisions.find((d) => d.divisionId === divisionId)?.counts, m),
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
        const org = await this.orgOf(ctx, orgId);
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

    async orgOf(this: This, ctx: Ctx<unknown>, orgId: string): Promise<OrgWithDivisions> {
      const orgs = await ctx.call<OrgWithDivisions[], object>("personnel.orgs.list", {});
      const org = orgs.find((o) => o.id === orgId);
      if (!org) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      return org;
    },

    async divisionOf(
      this: This,
      ctx: Ctx<unknown>,
      divisionId: string,
    ): Promise<{ division: Division; org: OrgWithDivisions }> {
      const orgs = await ctx.call<OrgWithDivisions[], object>("personnel.orgs.list", {});
      for (const org of orgs) {
        const division = org.divisions.find((d) => d.id === divisionId);
        if (division) return { division, org };
      }
      throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.clock = this.settings.clock ?? systemClock;
  },
};

/** This month's attendance counts for the page, from the month view the caller may see. */
function attendanceOf(
  section: Section<AttendanceMonthResult>,
  counts: (a: AttendanceMonthResult) => AttendanceSummary["counts"] | undefined,
  m: { year: number; month: number },
): Section<AttendanceSummary | null> {
  if ("unavailable" in section) return section;
  const c = counts(section);
  return c ? { year: m.year, month: m.month, workingDays: section.workingDays.length, counts: c } : null;
}

export default PagesService as unknown as ServiceSchema;
