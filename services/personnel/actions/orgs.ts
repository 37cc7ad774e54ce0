/** Organisations and their divisions, served from the references loaded at start-up. */
import type { ServiceActionsSchema } from "moleculer";
import type { Division, OrgWithDivisions } from "../../../shared/contracts/personnel";
import { NotFoundError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import type { Ctx, This } from "../personnel.types";

export const orgActions: ServiceActionsSchema<This> = {
  "orgs.list": {
    rest: "GET /orgs",
    params: { $$strict: true },
    async handler(this: This): Promise<OrgWithDivisions[]> {
      const divisions = [...this.divisions.values()];
      return [...this.orgs.values()]
        .sort((a, b) => a.order - b.order)
        .map((o) => ({
          ...o,
          divisions: divisions.filter((d) => d.orgId === o.id).sort((a, b) => a.order - b.order),
        }));
    },
  },

  "divisions.list": {
    rest: "GET /divisions",
    params: { $$strict: true, orgId: ID },
    async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<Division[]> {
      if (!this.orgs.has(ctx.params.orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      return [...this.divisions.values()].filter((d) => d.orgId === ctx.params.orgId).sort((a, b) => a.order - b.order);
    },
  },
};
