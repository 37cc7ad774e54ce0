/**
 * The info database. On FerretDB's SQLite backend only `_id` equality is pushed down, so each
 * report and publicity item is one document holding its whole trail and its current indicator fact
 * (one atomic write per step).
 */
import { Schema, type Connection, type Model } from "mongoose";
import type { IndicatorFact } from "../../../shared/contracts/assessment";
import type { Adoption, InfoReportView, PublicityView, TrailEntry } from "../../../shared/contracts/info";

export interface TrailDoc extends Omit<TrailEntry, "at"> {
  at: Date;
  /** The client's command id, for replaying a re-sent command. */
  commandId: string | null;
  /** The fact version this step produced, if it changed the fact. */
  factVersion: number | null;
}

/** A view's timestamps as the database holds them: Dates, not ISO strings. */
type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? Date | null : Date };

/** What a stored item adds to its view (and the view's per-caller `allowed` it leaves out). */
interface Stored {
  _id: string;
  trail: TrailDoc[];
  /** The indicator fact as last published; null until first adopted or verified. */
  fact: IndicatorFact | null;
  rev: number;
}

export type InfoDoc = Dated<
  Omit<InfoReportView, "id" | "trail" | "allowed" | "adoption">,
  "submittedAt" | "forwardedAt" | "createdAt" | "updatedAt"
> &
  Stored & {
    /** Was ever on the city office's desk (it then stays visible to the city office). */
    reachedCity: boolean;
    adoption: Dated<Adoption, "adoptedAt"> | null;
  };

export type PublicityDoc = Dated<
  Omit<PublicityView, "id" | "trail" | "allowed">,
  "verifiedAt" | "createdAt" | "updatedAt"
> &
  Stored & { recordedByStaffId: string | null };

export interface SettingDoc {
  _id: string;
  value: Record<string, unknown>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const loose = { versionKey: false, strict: false } as const;

const infoSchema = new Schema<InfoDoc>(
  { _id: String, status: String, stage: String, authorStaffId: String, orgId: String, year: Number, rev: Number },
  loose,
);
infoSchema.index({ year: 1, orgId: 1 });
infoSchema.index({ authorStaffId: 1 });

const publicitySchema = new Schema<PublicityDoc>(
  { _id: String, status: String, authorStaffId: String, orgId: String, year: Number, rev: Number },
  loose,
);
publicitySchema.index({ year: 1, orgId: 1 });
publicitySchema.index({ authorStaffId: 1 });

const settingSchema = new Schema<SettingDoc>({ _id: String }, loose);

export interface Models {
  Info: Model<InfoDoc>;
  Publicity: Model<PublicityDoc>;
  Setting: Model<SettingDoc>;
}

export function registerModels(db: Connection): Models {
  return {
    Info: db.model<InfoDoc>("Info", infoSchema, "info_reports"),
    Publicity: db.model<PublicityDoc>("Publicity", publicitySchema, "publicity"),
    Setting: db.model<SettingDoc>("Setting", settingSchema, "settings"),
  };
}
