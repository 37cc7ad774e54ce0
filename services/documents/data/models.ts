/**
 * The documents database. On FerretDB only `_id` equality is served from an index, and concurrent
 * updates of one document lose writes, so: a document is read and written by `_id`, one change at a
 * time across replicas (a Redis lock, data/store.ts) guarded by `rev`; lists filter an in-process
 * index; a 文号 is taken by inserting its own `_id` (data/numbers.ts).
 */
import { Schema, type Connection, type Model } from "mongoose";
import { OVERRIDE_COPY_FIELDS, type OverrideCopyDoc } from "../../../shared/calendar";
import type {
  Attachment,
  DocKind,
  DocStage,
  DocType,
  Distribution,
  Flow,
  FlowStep,
  Secrecy,
  Task,
  TimelineEntry,
  Urgency,
} from "../../../shared/contracts/documents";

export interface DocDoc {
  _id: string;
  kind: DocKind;
  title: string;
  docType: DocType;
  urgency: Urgency;
  secrecy: Secrecy;
  body: string;
  attachments: Attachment[];
  drafterId: string;
  drafterName: string;
  orgId: string;
  divisionId: string;
  mainTo: string;
  copyTo: string;
  countersignDivisionIds: string[];
  handlingDivisionIds: string[];
  /** The handling due date set at 批办. */
  handlingDue: string | null;
  stage: DocStage;
  steps: FlowStep[];
  step: number;
  tasks: Task[];
  timeline: TimelineEntry[];
  number: string | null;
  /** Set before a number is taken, so a retried issue finds the number it already holds. */
  issuing: boolean;
  issuedAt: string | null;
  distribution: Distribution[];
  source: { id: string; orgId: string; orgName: string; number: string | null } | null;
  senderName: string;
  result: string | null;
  published: boolean;
  /** Everyone who has taken part (drafter, assignees, the people they cover for, recipients, issuer). */
  participants: string[];
  createdAt: string;
  updatedAt: string;
  rev: number;
}

/** `_id` = `<orgId>:<kind>`. */
export interface FlowDoc extends Flow {
  _id: string;
}

/** `_id` = `<orgId>|<文种>|<year>|<n>`: number n of the sequence belongs to `docId`. */
export interface NumberDoc {
  _id: string;
  docId: string;
  number: string;
  at: Date;
}

/** `_id` = `<orgId>|<文种>|<year>`: a hint, never ahead of the numbers taken (data/numbers.ts). */
export interface CounterDoc {
  _id: string;
  last: number;
}

const loose = { versionKey: false, strict: false } as const;

export interface Models {
  Doc: Model<DocDoc>;
  Flow: Model<FlowDoc>;
  Number: Model<NumberDoc>;
  Counter: Model<CounterDoc>;
  Override: Model<OverrideCopyDoc>;
}

export function registerModels(db: Connection): Models {
  return {
    Doc: db.model<DocDoc>("Doc", new Schema<DocDoc>({ _id: String, rev: Number }, loose), "documents"),
    Flow: db.model<FlowDoc>("Flow", new Schema<FlowDoc>({ _id: String }, loose), "flows"),
    Number: db.model<NumberDoc>(
      "Number",
      new Schema<NumberDoc>({ _id: String, docId: String, at: Date }, loose),
      "numbers",
    ),
    Counter: db.model<CounterDoc>("Counter", new Schema<CounterDoc>({ _id: String, last: Number }, loose), "counters"),
    Override: db.model<OverrideCopyDoc>(
      "Override",
      new Schema<OverrideCopyDoc>(OVERRIDE_COPY_FIELDS, { versionKey: false }),
      "calendar_overrides",
    ),
  };
}
