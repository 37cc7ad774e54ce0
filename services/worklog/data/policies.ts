/** The clock, every organisation's log policy and the working-day calendar (cached copies; the calendar's overrides are personnel's). */
import { CITY_ORG_ID } from "../../../shared/auth";
import type { WorkCalendar } from "../../../shared/calendar";
import type { LogPolicy } from "../../../shared/contracts/worklog";
import { localDate } from "../../../shared/time";
import { defaultPolicy } from "../rules";
import type { This } from "../types";
import { policyView } from "../views";
import type { PolicyDoc } from "./models";

export const policyMethods = {
  now(this: This): Date {
    return this.clock.now();
  },

  today(this: This): string {
    return localDate(this.clock.now());
  },

  async policyOf(this: This, orgId: string): Promise<LogPolicy> {
    return (
      (await this.policies()).get(orgId) ?? { ...defaultPolicy(orgId, CITY_ORG_ID), updatedAt: null, updatedBy: null }
    );
  },

  /** Every organisation's policy (stored or default), keyed by organisation id. */
  async policies(this: This): Promise<Map<string, LogPolicy>> {
    return this.cache.get("policies", async () => {
      const [docs, orgs, staff] = await Promise.all([
        this.m.Policy.find().lean<PolicyDoc[]>(),
        this.orgs(),
        this.allStaff(),
      ]);
      const out = new Map<string, LogPolicy>();
      for (const id of new Set([...orgs.map((o) => o._id), ...[...staff.values()].map((s) => s.orgId)]))
        out.set(id, { ...defaultPolicy(id, CITY_ORG_ID), updatedAt: null, updatedBy: null });
      for (const d of docs) out.set(d._id, policyView(d));
      return out;
    });
  },

  async calendar(this: This): Promise<WorkCalendar> {
    return this.cache.get("calendar", () => this.calendarCopy.calendar());
  },
};
