/** Reading the audit log, newest first, for system administrators. */
import type { Service } from "moleculer";
import type { AuditEntry, AuditListParams } from "../../../shared/contracts/audit";
import { rolesOf } from "../../../shared/permissions";
import type { AuditDoc } from "../data/models";
import type { Ctx, This } from "../types";

const toEntry = (d: AuditDoc): AuditEntry => {
  const { _id, atDate: _atDate, ...rest } = d;
  return { id: _id, ...rest };
};

export const entryActions: Service.ServiceActionsSchema<This> = {
  list: {
    rest: "GET /",
    auth: rolesOf("audit.read"),
    params: {
      $$strict: true,
      action: "string|optional|max:100",
      actorAccountId: "string|optional|max:64",
      result: { type: "enum", values: ["success", "failure"], optional: true },
      from: "string|optional|max:40",
      to: "string|optional|max:40",
      before: "string|optional|max:40",
      limit: "number|optional|integer|min:1|max:500|convert",
    },
    async handler(this: This, ctx: Ctx<AuditListParams>): Promise<{ items: AuditEntry[] }> {
      const p = ctx.params;
      const filter: Record<string, unknown> = {};
      if (p.action) filter.action = p.action;
      if (p.actorAccountId) filter.actorAccountId = p.actorAccountId;
      if (p.result) filter.result = p.result;
      const at: Record<string, Date> = {};
      if (p.from) at.$gte = new Date(p.from);
      if (p.to) at.$lte = new Date(p.to);
      if (p.before) at.$lt = new Date(p.before);
      if (Object.keys(at).length) filter.atDate = at;
      const docs = await this.Entries.find(filter)
        .sort({ atDate: -1 })
        .limit(p.limit ?? 100)
        .lean<AuditDoc[]>();
      return { items: docs.map(toEntry) };
    },
  },
};
