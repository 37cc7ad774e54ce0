/** The documents service's settings, state and methods, shared by its modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { OverrideCopy, WorkCalendar } from "../../shared/calendar";
import type { Clock } from "../../shared/clock";
import type { DocKind, DocumentView } from "../../shared/contracts/documents";
import type { DbVars } from "../../shared/db";
import type { KeyedQueue } from "../../shared/store/queue";
import type { RowIndex } from "../../shared/store/refreshing-cache";
import type { Actor } from "../../shared/office";
import type { OrgRefs } from "../../shared/org-refs";
import type { DocDoc, FlowDoc, Models } from "./data/models";
import type { OrgPeople } from "./data/people";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** A document as the lists see it (the in-process index). */
export interface DocRow {
  _id: string;
  doc: DocDoc;
  participants: Set<string>;
  /** Open tasks: assignee → due date. */
  open: Map<string, string | null>;
  /** Who has acted on it (已办). */
  actedBy: Set<string>;
  involvedOrgs: Set<string>;
  /** Lower-case title, number, sender and body text, for search. */
  text: string;
}

/** Moleculer event (all replicas): a document changed (`id`), or everything (after a seed). */
export interface Changed {
  kind: "doc" | "all";
  id?: string;
}

export interface Vars {
  m: Models;
  clock: Clock;
  /** One 文号 taken at a time per sequence in this replica (data/numbers.ts). */
  numberQueue: KeyedQueue;
  /** Last 文号 taken per sequence by this replica (data/numbers.ts). */
  numberHints: Map<string, number>;
  refsCache: OrgRefs | null;
  peopleCache: Map<string, OrgPeople>;
  overrides: OverrideCopy;
  docIndex: RowIndex<DocRow>;
}

export interface Methods {
  now(): Date;
  today(): string;
  refs(): Promise<OrgRefs>;
  actor(ctx: Ctx<unknown>): Promise<Actor>;
  calendar(): Promise<WorkCalendar>;
  flowFor(orgId: string, kind: DocKind): Promise<FlowDoc>;
  /** A document the caller may see; any other is reported missing (404). */
  visibleDoc(actor: Actor, id: string): Promise<DocDoc>;
  /** One change to a document at a time across replicas; `fn` returns the next document. */
  change(id: string, fn: (doc: DocDoc) => Promise<DocDoc> | DocDoc): Promise<DocDoc>;
  insertDoc(doc: DocDoc): Promise<DocDoc>;
  docView(doc: DocDoc): Promise<DocumentView>;
  changed(kind: Changed["kind"], doc?: DocDoc): void;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
