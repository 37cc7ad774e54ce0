/** The worklog database: logs, their earlier versions, reads, useful marks, comments and policies. */
import { Schema, type Connection, type Model } from "mongoose";
import { OVERRIDE_COPY_FIELDS, type OverrideCopyDoc } from "../../../shared/calendar";
import type { LogKind, LogStatus, PersonalRule } from "../../../shared/contracts/worklog";
import type { StaffStatus } from "../../../shared/contracts/personnel";

export interface LogDoc {
  _id: string;
  kind: LogKind;
  status: LogStatus;
  authorStaffId: string;
  authorName: string;
  orgId: string;
  divisionId: string;
  date: string;
  year: number;
  month: number;
  isoYear: number;
  isoWeek: number;
  done: string;
  thoughts: string;
  tags: string[];
  taskIds: string[];
  /** Search tokens: jieba words, single CJK characters, CJK bigrams and latin words. */
  tokens: string[];
  version: number;
  edited: boolean;
  late: boolean;
  publishedAt: Date | null;
  editedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawReason: string | null;
  readCount: number;
  usefulCount: number;
  commentCount: number;
  createdAt: Date;
}

export interface VersionDoc {
  _id: string;
  logId: string;
  version: number;
  date: string;
  done: string;
  thoughts: string;
  tags: string[];
  taskIds: string[];
  replacedAt: Date;
  replacedBy: "edit" | "withdraw";
}

export interface ReadDoc {
  _id: string;
  logId: string;
  readerStaffId: string;
  at: Date;
}

export interface UsefulDoc {
  _id: string;
  logId: string;
  staffId: string;
  /** The log's organisation, and the ISO week the mark was given in ("most useful this week"). */
  orgId: string;
  isoYear: number;
  isoWeek: number;
  at: Date;
}

export interface CommentDoc {
  _id: string;
  logId: string;
  authorStaffId: string;
  authorName: string;
  body: string;
  mentions: { staffId: string; name: string }[];
  createdAt: Date;
}

/** worklog's copy of a staff member, fed by `personnel.staff.changed`. */
export interface StaffCopyDoc {
  _id: string;
  name: string;
  orgId: string;
  divisionId: string;
  status: StaffStatus;
  version: number;
}

export interface PolicyDoc {
  _id: string;
  personal: PersonalRule;
  orgLogWeekly: boolean;
  orgLogAuthors: string[];
  deadline: string;
  graceMinutes: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const str = { type: String, required: true };
const strs = { type: [String], default: [] };

const logSchema = new Schema<LogDoc>(
  {
    _id: String,
    kind: str,
    status: str,
    authorStaffId: str,
    authorName: str,
    orgId: str,
    divisionId: str,
    date: str,
    year: Number,
    month: Number,
    isoYear: Number,
    isoWeek: Number,
    done: { type: String, default: "" },
    thoughts: { type: String, default: "" },
    tags: strs,
    taskIds: strs,
    tokens: strs,
    version: { type: Number, default: 1 },
    edited: { type: Boolean, default: false },
    late: { type: Boolean, default: false },
    publishedAt: { type: Date, default: null },
    editedAt: { type: Date, default: null },
    withdrawnAt: { type: Date, default: null },
    withdrawReason: { type: String, default: null },
    readCount: { type: Number, default: 0 },
    usefulCount: { type: Number, default: 0 },
    commentCount: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// No secondary indexes: logs are read by `_id` only (feed, search and counts come from the in-process
// read index, log-index.ts), and each index slowed every publish (the `tokens` one most).

const versionSchema = new Schema<VersionDoc>(
  {
    _id: String,
    logId: str,
    version: Number,
    date: str,
    done: String,
    thoughts: String,
    tags: strs,
    taskIds: strs,
    replacedAt: Date,
    replacedBy: str,
  },
  { versionKey: false },
);
versionSchema.index({ logId: 1, version: 1 }, { unique: true });

const readSchema = new Schema<ReadDoc>(
  { _id: String, logId: str, readerStaffId: str, at: Date },
  { versionKey: false },
);
readSchema.index({ logId: 1, readerStaffId: 1 }, { unique: true });

const usefulSchema = new Schema<UsefulDoc>(
  { _id: String, logId: str, staffId: str, orgId: str, isoYear: Number, isoWeek: Number, at: Date },
  { versionKey: false },
);
usefulSchema.index({ logId: 1, staffId: 1 }, { unique: true });
usefulSchema.index({ isoYear: 1, isoWeek: 1, orgId: 1 });

const commentSchema = new Schema<CommentDoc>(
  {
    _id: String,
    logId: str,
    authorStaffId: str,
    authorName: str,
    body: str,
    mentions: { type: [{ _id: false, staffId: String, name: String }], default: [] },
    createdAt: Date,
  },
  { versionKey: false },
);
commentSchema.index({ logId: 1, createdAt: 1 });

const staffSchema = new Schema<StaffCopyDoc>(
  { _id: String, name: str, orgId: str, divisionId: str, status: str, version: Number },
  { versionKey: false },
);
staffSchema.index({ orgId: 1 });
staffSchema.index({ name: 1 });

const policySchema = new Schema<PolicyDoc>(
  {
    _id: String,
    personal: str,
    orgLogWeekly: Boolean,
    orgLogAuthors: strs,
    deadline: str,
    graceMinutes: Number,
    updatedAt: { type: Date, default: null },
    updatedBy: { type: String, default: null },
  },
  { versionKey: false },
);

/** The copy of personnel's calendar overrides (shared/calendar.ts OverrideCopy); worklog owned them before. */
const overrideSchema = new Schema<OverrideCopyDoc>(OVERRIDE_COPY_FIELDS, { versionKey: false });

export interface Models {
  Log: Model<LogDoc>;
  Version: Model<VersionDoc>;
  Read: Model<ReadDoc>;
  Useful: Model<UsefulDoc>;
  Comment: Model<CommentDoc>;
  Staff: Model<StaffCopyDoc>;
  Policy: Model<PolicyDoc>;
  Override: Model<OverrideCopyDoc>;
}

export function registerModels(db: Connection): Models {
  return {
    Log: db.model<LogDoc>("Log", logSchema, "logs"),
    Version: db.model<VersionDoc>("Version", versionSchema, "versions"),
    Read: db.model<ReadDoc>("Read", readSchema, "reads"),
    Useful: db.model<UsefulDoc>("Useful", usefulSchema, "useful"),
    Comment: db.model<CommentDoc>("Comment", commentSchema, "comments"),
    Staff: db.model<StaffCopyDoc>("Staff", staffSchema, "staff"),
    Policy: db.model<PolicyDoc>("Policy", policySchema, "policies"),
    Override: db.model<OverrideCopyDoc>("Override", overrideSchema, "overrides"),
  };
}
