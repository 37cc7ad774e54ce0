/** Mongoose models of the personnel service, as factories on the service's own connection. */
import type { PersonnelImportResult } from "./imports";
import type { JobDoc } from "../../../shared/store/jobs";
import { Schema, type Connection, type Model } from "mongoose";
import {
  DIVISION_KINDS,
  EDUCATION_LEVELS,
  GENDERS,
  ORG_KINDS,
  POLITICAL_STATUSES,
  STAFF_STATUSES,
} from "../../../shared/contracts/personnel";
import type { AttendanceDoc, DivisionDoc, OrgDoc, OverrideDoc, PostDoc, StaffDoc } from "../personnel.types";

const opts = { versionKey: false, timestamps: false } as const;

export function orgModel(db: Connection): Model<OrgDoc> {
  const s = new Schema<OrgDoc>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      shortName: { type: String, required: true },
      kind: { type: String, enum: ORG_KINDS, required: true },
      parentId: { type: String, default: null },
      order: { type: Number, required: true },
    },
    opts,
  );
  return db.model<OrgDoc>("Org", s, "orgs");
}

export function divisionModel(db: Connection): Model<DivisionDoc> {
  const s = new Schema<DivisionDoc>(
    {
      _id: { type: String, required: true },
      orgId: { type: String, required: true },
      name: { type: String, required: true },
      kind: { type: String, enum: DIVISION_KINDS, required: true },
      order: { type: Number, required: true },
    },
    opts,
  );
  s.index({ orgId: 1, order: 1 });
  return db.model<DivisionDoc>("Division", s, "divisions");
}

export function postModel(db: Connection): Model<PostDoc> {
  const s = new Schema<PostDoc>(
    {
      _id: { type: String, required: true },
      orgId: { type: String, required: true },
      divisionId: { type: String, required: true },
      title: { type: String, required: true },
      responsibilities: { type: String, default: "" },
      isHead: { type: Boolean, default: false },
      aHolderId: { type: String, default: null },
      bHolderId: { type: String, default: null },
      order: { type: Number, default: 0 },
    },
    opts,
  );
  s.index({ divisionId: 1, order: 1 });
  s.index({ orgId: 1 });
  s.index({ aHolderId: 1 });
  s.index({ bHolderId: 1 });
  return db.model<PostDoc>("Post", s, "posts");
}

export function staffModel(db: Connection): Model<StaffDoc> {
  const s = new Schema<StaffDoc>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      namePinyin: { type: String, required: true },
      nameInitials: { type: String, required: true },
      gender: { type: String, enum: GENDERS, required: true },
      birthDate: { type: String, required: true },
      education: { type: String, enum: EDUCATION_LEVELS, required: true },
      politicalStatus: { type: String, enum: POLITICAL_STATUSES, required: true },
      title: { type: String, required: true },
      orgId: { type: String, required: true },
      divisionId: { type: String, required: true },
      postId: { type: String, default: null },
      phone: { type: String, default: null },
      hireDate: { type: String, required: true },
      status: { type: String, enum: STAFF_STATUSES, required: true },
      version: { type: Number, required: true, default: 1 },
    },
    opts,
  );
  s.index({ orgId: 1, divisionId: 1 });
  s.index({ divisionId: 1 });
  s.index({ namePinyin: 1 });
  s.index({ nameInitials: 1 });
  s.index({ birthDate: 1 });
  s.index({ postId: 1 });
  return db.model<StaffDoc>("Staff", s, "staff");
}

/**
 * Attendance lives in one collection per month (`attendance_YYYY_MM`), one document per person with
 * `_id` = staff id, so the unique key (staff, year, month) is the primary key. Why: FerretDB 1.x on
 * SQLite answers only `_id` lookups without reading the whole collection, and a scan costs ~0.25 ms
 * a document here, so a year in one collection (18k documents) made every attendance query ~4.5 s;
 * a month's collection holds ~1,500.
 */
export const attendanceCollection = (year: number, month: number): string =>
  `attendance_${year}_${String(month).padStart(2, "0")}`;

const attendanceSchema = new Schema<AttendanceDoc>(
  {
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    orgId: { type: String, required: true },
    divisionId: { type: String, required: true },
    year: { type: Number, required: true },
    month: { type: Number, required: true },
    // Mixed, so mongoose keeps "01".."31" keys as written by `$set: { "days.05": status }`.
    days: { type: Schema.Types.Mixed, default: {} },
  },
  // autoCreate off: registering a month's model (which any read does) must not create its collection;
  // month collections are created, with their indexes, only by data/attendance.ts's ensure step.
  { ...opts, minimize: false, autoCreate: false },
);
attendanceSchema.index({ divisionId: 1 });
attendanceSchema.index({ orgId: 1 });

/** The model of one month's attendance collection, registered on first use (creating nothing). */
export function attendanceModel(db: Connection, year: number, month: number): Model<AttendanceDoc> {
  const name = attendanceCollection(year, month);
  return (db.models[name] as Model<AttendanceDoc> | undefined) ?? db.model<AttendanceDoc>(name, attendanceSchema, name);
}

/** Staff and attendance import jobs (shared/store/jobs.ts). */
export function importJobModel(db: Connection): Model<JobDoc<PersonnelImportResult>> {
  const s = new Schema<JobDoc<PersonnelImportResult>>({ _id: String, key: String }, { ...opts, strict: false });
  return db.model<JobDoc<PersonnelImportResult>>("ImportJob", s, "import_jobs");
}

/** Sequence numbers (staff ids). */
export function counterModel(db: Connection): Model<{ _id: string; seq: number }> {
  const s = new Schema<{ _id: string; seq: number }>(
    { _id: { type: String, required: true }, seq: { type: Number, required: true } },
    opts,
  );
  return db.model<{ _id: string; seq: number }>("Counter", s, "counters");
}

/**
 * The working-day overrides (调休, holiday corrections) HR sets; `_id` is the date. Personnel owns
 * them; other services keep copies from `calendar.override.changed`.
 * An install from before personnel owned the calendar keeps its overrides in worklog's `overrides`
 * collection: copy them once into this one (same `_id`/working/note/updatedBy/updatedAt fields),
 * e.g. `mongoexport -d <ns>_worklog -c overrides | mongoimport -d <ns>_personnel -c calendar_overrides`.
 * Worklog and plans keep their own copies as they were, so nothing else needs moving.
 */
export function overrideModel(db: Connection): Model<OverrideDoc> {
  const s = new Schema<OverrideDoc>(
    { _id: String, working: Boolean, note: String, updatedBy: { type: String, default: null }, updatedAt: Date },
    opts,
  );
  return db.model<OverrideDoc>("Override", s, "calendar_overrides");
}

export function registerModels(db: Connection) {
  return {
    Org: orgModel(db),
    Division: divisionModel(db),
    Post: postModel(db),
    Staff: staffModel(db),
    Counter: counterModel(db),
    ImportJob: importJobModel(db),
    Override: overrideModel(db),
  };
}
export type Models = ReturnType<typeof registerModels>;
