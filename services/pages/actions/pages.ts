/** The person, division and organisation pages, each composed in parallel from its owners' answers. */
import type { Service } from "moleculer";
import { call } from "../../../shared/contracts/actions";
import type { DivisionPage, OrgPage, PersonPage } from "../../../shared/contracts/pages";
import { ID } from "../../../shared/params";
import { monthSoFar } from "../data/copies";
import { forViewer } from "../people";
import type { Ctx, This } from "../types";

const RECENT_LOGS = 5;

export const pageActions: Service.ServiceActionsSchema<This> = {
  person: {
    rest: "GET /person/:staffId",
    params: { $$strict: true, staffId: ID },
    async handler(this: This, ctx: Ctx<{ staffId: string }>): Promise<PersonPage> {
      const { staffId } = ctx.params;
      const today = this.today();
      const m = monthSoFar(today);
      const profile = await this.profile(staffId);
      const [plans, recent, compliance, attendance] = await Promise.all([
        this.section(call(ctx, "plans.summary.person", { staffId, date: today }), "plans"),
        this.section(call(ctx, "worklog.logs.feed", { authorId: staffId, limit: RECENT_LOGS }), "logs"),
        this.section(
          call(ctx, "worklog.compliance.report", {
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
        this.section(call(ctx, "plans.summary.division", { divisionId, date: today }), "plans"),
        this.section(call(ctx, "worklog.logs.feed", { divisionId, limit: RECENT_LOGS }), "logs"),
        this.section(call(ctx, "worklog.compliance.report", { from: m.from, to: m.to, orgId: org.id }), "compliance"),
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
        this.section(call(ctx, "plans.summary.org", { orgId, date: today }), "plans"),
        this.section(call(ctx, "worklog.compliance.report", { from: m.from, to: m.to, orgId }), "compliance"),
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
};
