import { Schema, type Connection, type Model } from "mongoose";
import type { AuditEntryInput } from "../../../shared/contracts/audit";

export interface AuditDoc extends AuditEntryInput {
  /** The durable event's id: a redelivered event is stored once. */
  _id: string;
  atDate: Date;
}

const schema = new Schema<AuditDoc>(
  {
    _id: { type: String },
    action: { type: String, required: true },
    result: { type: String, required: true, enum: ["success", "failure"] },
    actorAccountId: { type: String, default: null },
    actorName: { type: String, default: null },
    actorOrgId: { type: String, default: null },
    ip: { type: String, default: null },
    target: { type: String, default: null },
    details: { type: Schema.Types.Mixed },
    at: { type: String, required: true },
    atDate: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ atDate: -1 });
schema.index({ action: 1, atDate: -1 });
schema.index({ actorAccountId: 1, atDate: -1 });

export const auditModel = (db: Connection): Model<AuditDoc> => db.model<AuditDoc>("AuditEntry", schema, "entries");
