/** The worklog service's own types, shared by its action and data modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { OverrideCopy, WorkCalendar } from "../../shared/calendar";
import type { Clock } from "../../shared/clock";
import type { StaffChanged } from "../../shared/contracts/personnel";
import type { LogPolicy } from "../../shared/contracts/worklog";
import type { Person, Policy } from "./compliance";
import type { DbVars } from "../../shared/db";
import type { ConflictError } from "../../shared/errors";
import type { IndexSync, RedisJournal } from "../../shared/store/change-journal";
import type { GroupCommit } from "../../shared/store/queue";
import type { RefreshingCache } from "../../shared/store/refreshing-cache";
import type { ComplianceSubject } from "./data/compliance-events";
import type { FeedFilters, LogIndex } from "./data/log-index";
import type { LogDoc, Models, StaffCopyDoc, VersionDoc } from "./data/models";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
  /** How often the read index reads the other replicas' change journal (missed broadcasts). */
  indexCatchUpMs?: number;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Author {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
}

/** A search hit: the log and its score (the view is made from the index when the page is served). */
export interface Ranked {
  id: string;
  score: number;
}

export interface OrgCopy {
  _id: string;
  name: string;
  divisions: { id: string; name: string; kind: string }[];
}

export interface Vars {
  m: Models;
  clock: Clock;
  /** The copy of personnel's calendar overrides, fed by `calendar.override.changed`. */
  calendarCopy: OverrideCopy;
  /** In-process copies of small, rarely changing collections, dropped on `worklog.cache.invalidate`. */
  cache: RefreshingCache;
  /** The read index (feed, search, counts, drafts) and what keeps it current; set once built at start. */
  sync: IndexSync<LogDoc, LogIndex>;
  /** The change journal the replicas read (a Redis stream, see shared/store/change-journal.ts). */
  journal: RedisJournal;
  /** New logs go to the database through this, so that concurrent publishes share one write. */
  logInserts: GroupCommit<LogDoc>;
  catchUpTimer?: NodeJS.Timeout;
  /** A catch-up or rebuild is running: the timer skips its turn. */
  catchingUp?: boolean;
  /** Search rankings by query, filters and day, each valid for the index and version it was made from. */
  rankings: Map<string, { index: LogIndex; version: number; hits: Ranked[] }>;
  /** The last `worklog.compliance.changed` version this process gave (see compliance-events.ts). */
  complianceVersion?: number;
}

/** What a cache entry holds; `index` asks the other replicas to rebuild their read index (after a demo reset). */
export type CacheKind = "policies" | "calendar" | "orgs" | "staff" | "index";

export type LogChannel = "worklog.log.published" | "worklog.log.edited" | "worklog.log.withdrawn";

export interface Methods {
  now(): Date;
  today(): string;
  author(ctx: Ctx<unknown>): Promise<Author>;
  staffOf(ctx: Ctx<unknown>): string;
  policyOf(orgId: string): Promise<LogPolicy>;
  policies(): Promise<Map<string, LogPolicy>>;
  calendar(): Promise<WorkCalendar>;
  writeLogIf(
    log: LogDoc,
    expect: { status: LogDoc["status"]; version?: number },
    conflict: () => ConflictError,
    write: () => Promise<unknown>,
  ): Promise<void>;
  loadLog(id: string): Promise<LogDoc>;
  keepVersion(log: LogDoc, replacedAt: Date, replacedBy: VersionDoc["replacedBy"]): Promise<void>;
  bumpCounter(logId: string, field: "readCount" | "usefulCount" | "commentCount", delta: number): Promise<number>;
  readableLog(ctx: Ctx<unknown>, id: string): Promise<LogDoc>;
  ownLog(ctx: Ctx<unknown>, id: string): Promise<LogDoc>;
  invalidate(kinds: CacheKind[], announce?: boolean): void;
  allStaff(): Promise<Map<string, StaffCopyDoc>>;
  activeStaff(orgId?: string): Promise<StaffCopyDoc[]>;
  buildIndex(): Promise<void>;
  catchUp(): Promise<void>;
  rank(q: string, filters: FeedFilters): Ranked[];
  logChanged(id: string, change: (index: LogIndex) => void): Promise<void>;
  emitLog(ctx: Ctx<unknown>, channel: LogChannel, log: LogDoc, extra?: { previousDate?: string }): Promise<void>;
  publishCompliance(subjects: ComplianceSubject[], year: number, month: number): Promise<void>;
  staffCompliance(s: StaffChanged, year: number): Promise<void>;
  publishComplianceOf(
    people: Person[],
    orgIds: string[],
    policies: Map<string, Policy>,
    year: number,
    month: number,
  ): Promise<void>;
  logCompliance(log: LogDoc, previousDate?: string): Promise<void>;
  nextComplianceVersion(): number;
  complianceMoved(year: number, orgId?: string): void;
  syncDirectory(): Promise<{ staff: number; orgs: number }>;
  orgs(): Promise<OrgCopy[]>;
  resolveMentions(body: string, ids: string[]): Promise<{ staffId: string; name: string }[]>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
