/** Indicator facts, read back by the assessment service's rebuild (`info.facts.list`). */
import type { Service } from "moleculer";
import type { FactsParams, FactsResult } from "../../../shared/contracts/info";
import { YEAR } from "../../../shared/params";
import { rolesOf } from "../../../shared/permissions";
import type { Ctx, This } from "../types";

export const factActions: Service.ServiceActionsSchema<This> = {
  "facts.list": {
    rest: "GET /facts",
    auth: rolesOf("info.readFacts"),
    params: {
      $$strict: true,
      year: YEAR,
      kind: { type: "enum", values: ["information", "publicity"], optional: true },
      cursor: "string|max:80|optional",
      limit: { type: "number", integer: true, min: 1, max: 5000, convert: true, optional: true },
    },
    async handler(this: This, ctx: Ctx<FactsParams>): Promise<FactsResult> {
      const { year, kind, cursor, limit = 1000 } = ctx.params;
      const rows = [
        ...(kind !== "publicity" ? await this.infoIndex.all() : []),
        ...(kind !== "information" ? await this.publicityIndex.all() : []),
      ];
      const facts = rows
        .flatMap((r) => (r.fact && r.fact.date.startsWith(`${year}-`) ? [r.fact] : []))
        .filter((f) => !cursor || f.factId > cursor)
        .sort((a, b) => (a.factId < b.factId ? -1 : 1));
      const out = facts.slice(0, limit);
      return { facts: out, nextCursor: facts.length > limit ? out[out.length - 1].factId : null };
    },
  },
};
