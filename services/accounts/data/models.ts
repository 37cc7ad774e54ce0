import { Schema, type Connection, type Model } from "mongoose";
import { ROLES, type Role } from "../../../shared/auth";

export interface AccountDoc {
  _id: string;
  username: string;
  phone: string | null;
  staffId: string | null;
  name: string;
  orgId: string;
  divisionId: string | null;
  roles: Role[];
  passwordHash: string;
  passwordChangedAt: Date;
  mustChangePassword: boolean;
  disabled: boolean;
  /** Failed logins counted since failWindowStart (lockout after N within the window). */
  failedCount: number;
  failWindowStart: Date | null;
  lockedUntil: Date | null;
  /** Version of the staff record this copy was taken from (personnel.staff.changed). */
  staffVersion: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface SessionDoc {
  _id: string;
  accountId: string;
  refreshHash: string;
  /** Hashes of refresh tokens already rotated away; presenting one means theft, so the session ends. */
  previousRefreshHashes: string[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  ip: string | null;
}

const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String },
    username: { type: String, required: true },
    phone: { type: String, default: null },
    staffId: { type: String, default: null },
    name: { type: String, required: true },
    orgId: { type: String, required: true },
    divisionId: { type: String, default: null },
    roles: { type: [String], enum: ROLES, default: ["staff"] },
    passwordHash: { type: String, required: true },
    passwordChangedAt: { type: Date, required: true },
    mustChangePassword: { type: Boolean, default: false },
    disabled: { type: Boolean, default: false },
    failedCount: { type: Number, default: 0 },
    failWindowStart: { type: Date, default: null },
    lockedUntil: { type: Date, default: null },
    staffVersion: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
accountSchema.index({ username: 1 }, { unique: true });
accountSchema.index({ phone: 1 });
accountSchema.index({ staffId: 1 });
accountSchema.index({ orgId: 1, username: 1 });

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String },
    accountId: { type: String, required: true },
    refreshHash: { type: String, required: true },
    previousRefreshHashes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    ip: { type: String, default: null },
  },
  { versionKey: false },
);
sessionSchema.index({ accountId: 1, revokedAt: 1 });

export const accountModel = (db: Connection): Model<AccountDoc> =>
  db.model<AccountDoc>("Account", accountSchema, "accounts");
export const sessionModel = (db: Connection): Model<SessionDoc> =>
  db.model<SessionDoc>("Session", sessionSchema, "sessions");
