/**
 * The assessment database. FerretDB (SQLite) pushes down only `_id` equality, so the read model is
 * a few `_id`-keyed documents per year, each holding entries keyed by their source id and version:
 *
 * - `people`:    one per (staff member, year): indicator facts and attendance counters per month, small
 *                (a few hundred bytes), because a summary's first read after a start reads them all.
 * - `attendance_months`: one per (staff member, year, month): the days, read only to recount a month
 *                when one of its days changes.
 * - `org_years`: per (kind, year, organisation): task parts (`tasks|…`), monthly submissions (`subs|…`),
 *                and the log compliance worklog computes (`logs|…`).
 * - `learning`:  the learning platform's records, keyed by its record id (the source of learning facts).
 * - `schemes`, `snapshots`: per year.
 * - `rebuild_jobs`: one per rebuild job (a handful per year), its progress and result.
 *
 * A year's whole-bureau read is one scan of ~1,500 small person documents plus ~63 organisation
 * documents, then in-process caches serve it until an event changes a document.
 */
import { Schema, type Connection, type Model } from "mongoose";
import type {
  LearningImportResult,
  LearningRecordInput,
  RebuildResult,
  SchemeInput,
} from "../../../shared/contracts/assessment";
import type { JobDoc } from "../../../shared/store/jobs";
import type { AttendanceMonthDoc, OrgYearDoc, PersonDoc } from "../counters";

export interface LearningDoc extends Omit<LearningRecordInput, "recordId"> {
  _id: string;
  year: number;
  orgId: string;
  divisionId: string;
  version: number;
  updatedAt: Date;
}

export interface SchemeDoc extends SchemeInput {
  _id: string;
  year: number;
  frozen: boolean;
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface SnapshotDoc {
  _id: string;
  year: number;
  hash: string;
  frozenAt: Date;
  frozenBy: string | null;
  schemeVersion: number;
  counts: { staff: number; divisions: number; orgs: number };
  /** The canonical JSON of the results, gzip-compressed, base64 (a year of 15,000 staff stays small). */
  results: string;
}

/** A rebuild job as stored; `updatedAt` doubles as its heartbeat. */
/** A rebuild job of shared/store/jobs.ts, keyed by its year. */
export type RebuildJobDoc = JobDoc<RebuildResult>;

const loose = { versionKey: false, strict: false } as const;

/** Documents per bulk write. */
export const BATCH = 1000;

export interface Models {
  Person: Model<PersonDoc>;
  AttendanceMonth: Model<AttendanceMonthDoc>;
  OrgYear: Model<OrgYearDoc>;
  Learning: Model<LearningDoc>;
  Scheme: Model<SchemeDoc>;
  Snapshot: Model<SnapshotDoc>;
  RebuildJob: Model<RebuildJobDoc>;
  ImportJob: Model<JobDoc<LearningImportResult>>;
}

export function registerModels(db: Connection): Models {
  const person = new Schema<PersonDoc>({ _id: String, staffId: String, year: Number }, loose);
  const month = new Schema<AttendanceMonthDoc>({ _id: String, staffId: String, year: Number }, loose);
  const job = new Schema<RebuildJobDoc>({ _id: String, key: String }, loose);
  const orgYear = new Schema<OrgYearDoc>({ _id: String, year: Number }, loose);
  const learning = new Schema<LearningDoc>({ _id: String, year: Number, staffId: String }, loose);
  const scheme = new Schema<SchemeDoc>({ _id: String }, loose);
  const snapshot = new Schema<SnapshotDoc>({ _id: String }, loose);
  return {
    Person: db.model<PersonDoc>("Person", person, "people"),
    AttendanceMonth: db.model<AttendanceMonthDoc>("AttendanceMonth", month, "attendance_months"),
    OrgYear: db.model<OrgYearDoc>("OrgYear", orgYear, "org_years"),
    Learning: db.model<LearningDoc>("Learning", learning, "learning"),
    Scheme: db.model<SchemeDoc>("Scheme", scheme, "schemes"),
    Snapshot: db.model<SnapshotDoc>("Snapshot", snapshot, "snapshots"),
    RebuildJob: db.model<RebuildJobDoc>("RebuildJob", job, "rebuild_jobs"),
    ImportJob: db.model<JobDoc<LearningImportResult>>(
      "ImportJob",
      new Schema<JobDoc<LearningImportResult>>({ _id: String, key: String }, loose),
      "import_jobs",
    ),
  };
}
