/** Compliance: completion rates by person, division and organisation, the county ranking, and what is overdue. */
import type { ServiceActionsSchema } from "moleculer";
import { CITY_ORG_ID } from "../../../shared/auth";
import { addDays, weekStart } from "../../../shared/calendar";
import type { ComplianceParams, ComplianceReport, OverdueItem } from "../../../shared/contracts/worklog";
import { ID, DATE } from "../../../shared/params";
import { computeRates, overdue, rankCounties, type Policy } from "../compliance";
import type { Ctx, This } from "../types";
import { checkRange } from "./range";

export const complianceActions: ServiceActionsSchema<This> = {
  "compliance.report": {
    rest: "GET /compliance",
    params: { $$strict: true, from: DATE, to: DATE, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<ComplianceParams>): Promise<ComplianceReport> {
      const { from, to, orgId } = ctx.params;
      checkRange(from, to, 366);
      const [cal, policies, staff] = await Promise.all([this.calendar(), this.policies(), this.activeStaff(orgId)]);
      // Weekly rules look at whole ISO weeks, so the facts span from the first Monday to the last Sunday.
      const first = weekStart(from);
      const last = addDays(weekStart(to), 6);
      const scoped = new Map([...policies].filter(([id]) => !orgId || id === orgId)) as Map<string, Policy>;
      const r = computeRates({
        from,
        to,
        now: this.now(),
        cal,
        people: staff.map((s) => ({ id: s._id, name: s.name, orgId: s.orgId, divisionId: s.divisionId })),
        policies: scoped,
        facts: this.sync.index.facts(scoped.keys(), first, last),
        counties: [],
      });
      const counties = [...policies.keys()].filter((id) => id !== CITY_ORG_ID).sort();
      return {
        from,
        to,
        people: r.people,
        divisions: r.divisions,
        orgs: r.orgs,
        ranking: orgId ? { orgLog: [], personal: [] } : rankCounties(counties, r.orgs, r.orgLog),
      };
    },
  },

  "compliance.overdue": {
    rest: "GET /compliance/overdue",
    params: { $$strict: true, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<OverdueItem[]> {
      const { orgId } = ctx.params;
      const lookbackDays = 42;
      const today = this.today();
      const [cal, policies, staff, orgs] = await Promise.all([
        this.calendar(),
        this.policies(),
        this.activeStaff(orgId),
        this.orgs(),
      ]);
      const first = weekStart(addDays(today, -lookbackDays));
      const orgIds = [...policies.keys()].filter((id) => !orgId || id === orgId);
      return overdue({
        now: this.now(),
        today,
        lookbackDays,
        cal,
        people: staff.map((s) => ({ id: s._id, name: s.name, orgId: s.orgId, divisionId: s.divisionId })),
        policies: new Map([...policies].filter(([id]) => !orgId || id === orgId)) as Map<string, Policy>,
        orgNames: new Map(orgs.map((o) => [o._id, o.name])),
        facts: this.sync.index.facts(orgIds, first, addDays(weekStart(today), 6)),
      });
    },
  },
};
