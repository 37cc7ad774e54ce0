/**
 * The audit log: append-only, fed by the durable `audit.entry` channel, queryable by system admins.
 * Entries are never updated or deleted by the platform; retention (≥ 6 months) is an operator's job.
 */
import type { ServiceSchema } from "moleculer";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { deadLetterActions } from "./actions/dead-letters";
import { entryActions } from "./actions/entries";
import { auditModel } from "./data/models";
import type { This, Vars } from "./types";

const AuditService: ServiceSchema<object, object, Vars, This> = {
  name: "audit",
  mixins: [dbMixin("audit")],

  /** Actions */
  actions: { ...entryActions, ...deadLetterActions },

  /** Durable channels */
  channels: {
    "audit.entry": {
      group: "audit",
      async handler(this: This, event: DomainEvent<"audit.entry">) {
        // Idempotent on the event id: a redelivery meets the existing _id and changes nothing.
        await this.Entries.updateOne(
          { _id: event.id },
          { $setOnInsert: { ...event.data, atDate: new Date(event.data.at) } },
          { upsert: true },
        );
      },
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.Entries = auditModel(this.db);
  },
};

export default AuditService;
