/** The notices service's settings, state and methods, shared by its modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { Clock } from "../../shared/clock";
import type { NoticeView } from "../../shared/contracts/notices";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { DbVars } from "../../shared/db";
import type { RevWriter } from "../../shared/store/rev-writer";
import type { RowIndex } from "../../shared/store/refreshing-cache";
import type { Actor } from "../../shared/office";
import type { OrgRefs } from "../../shared/org-refs";
import type { Models, NoticeDoc, ReaderDoc } from "./data/models";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** A notice as kept in memory, with its recipients as a set. */
export interface CachedNotice extends NoticeDoc {
  recipientSet: Set<string>;
}

/** Moleculer event (all replicas): a notice was published (`id`), or everything changed (after a seed). */
export interface Changed {
  kind: "notice" | "all";
  id?: string;
}

export interface Vars {
  m: Models;
  clock: Clock;
  writer: RevWriter;
  /** Read counts shown in notice lists; exact counts come from `get` and `receipts`. */
  readCounts: Map<string, { count: number; at: number }>;
  /** Organisations and divisions, from personnel. */
  refsCache: OrgRefs | null;
  noticeIndex: RowIndex<CachedNotice>;
}

export interface Methods {
  now(): Date;
  changed(kind: Changed["kind"], doc?: NoticeDoc): void;
  readCount(noticeId: string): Promise<number>;
  refs(): Promise<OrgRefs>;
  actor(ctx: Ctx<unknown>): Promise<Actor>;
  notices(): Promise<{ list: CachedNotice[]; byId: Map<string, CachedNotice> }>;
  loadNotice(actor: Actor, id: string): Promise<CachedNotice>;
  noticeViews(notices: CachedNotice[], actor: Actor, reader: ReaderDoc | null): Promise<NoticeView[]>;
  reader(staffId: string | null): Promise<ReaderDoc | null>;
  directory(params: { orgId?: string; ids?: string[] }): Promise<DirectoryEntry[]>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
