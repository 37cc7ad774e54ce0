/**
 * The audit log: append-only, fed by the durable `audit.entry` channel, queryable by system admins.
 * Entries are never updated or deleted by the platform; retention (≥ 6 months) is an operator's job.
 */
import type { Context, ServiceSchema } from "moleculer";
import type { Connection, Model } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import type { AuditEntry, AuditListParams } from "../../shared/contracts/audit";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { auditModel, type AuditDoc } from "./audit.model";

interface Vars {
  db: Connection;
  Entries: Model<AuditDoc>;
}

const toEntry = (d: AuditDoc): AuditEntry => {
  const { _id, atDate: _atDate, ...rest } = d;
  return { id: _id, ...rest };
};

const AuditService: ServiceSchema<object, object, Vars> = {
  name: "audit",
  mixins: [dbMixin("audit")],

  /** Actions */
  actions: {
    list: {
      rest: "GET /",
      auth: { roles: ["sys_admin"] },
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
      async handler(ctx: Context<AuditListParams, CallMeta>): Promise<{ items: AuditEntry[] }> {
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
  },

  /** Durable channels */
  channels: {
    "audit.entry": {
      group: "audit",
      async handler(event: DomainEvent<"audit.entry">) {
        // Idempotent on the event id: a redelivery meets the existing _id and changes nothing.
        await this.Entries.updateOne(
          { _id: event.id },
          { $setOnInsert: { ...event.data, atDate: new Date(event.data.at) } },
          { upsert: true },
        );
      },
    },
  },

  created() {
    this.Entries = auditModel(this.db);
  },
};

export default AuditService;
