/**
 * The notices database. On FerretDB's SQLite backend only `_id` equality is pushed down, so read
 * receipts live in two `_id`-keyed maps: one per reader (the truth, written only by that reader's own
 * actions) and one per notice (for its receipts page).
 */
import { Schema, type Connection, type Model } from "mongoose";
import type { NoticeScope } from "../../../shared/contracts/notices";

export interface NoticeDoc {
  _id: string;
  title: string;
  body: string;
  scope: NoticeScope;
  scopeLabel: string;
  /** The organisation the scope belongs to (the city for the whole bureau). */
  scopeOrgId: string;
  publisherStaffId: string | null;
  publisherName: string;
  publisherOrgId: string;
  publishedAt: Date;
  /** Active staff in the scope when it was published. */
  recipients: string[];
}

/** `_id` = staff id: the notices this person has read, and when. */
export interface ReaderDoc {
  _id: string;
  reads: Record<string, Date>;
  rev: number;
}

/** `_id` = notice id: who has read it, and when (kept from the reader documents). */
export interface NoticeReadsDoc {
  _id: string;
  reads: Record<string, Date>;
  rev: number;
}

const loose = { versionKey: false, strict: false } as const;

const noticeSchema = new Schema<NoticeDoc>({ _id: String, publishedAt: Date }, loose);
const readerSchema = new Schema<ReaderDoc>({ _id: String, rev: Number }, loose);
const noticeReadsSchema = new Schema<NoticeReadsDoc>({ _id: String, rev: Number }, loose);

export interface Models {
  Notice: Model<NoticeDoc>;
  Reader: Model<ReaderDoc>;
  NoticeReads: Model<NoticeReadsDoc>;
}

export function registerModels(db: Connection): Models {
  return {
    Notice: db.model<NoticeDoc>("Notice", noticeSchema, "notices"),
    Reader: db.model<ReaderDoc>("Reader", readerSchema, "readers"),
    NoticeReads: db.model<NoticeReadsDoc>("NoticeReads", noticeReadsSchema, "notice_reads"),
  };
}
