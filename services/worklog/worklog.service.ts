/**
 * Work logs (工作日志): writing, editing with full history, withdrawing with a tombstone, the public
 * feed, Chinese keyword search, reads, comments with @mentions, useful marks, per-organisation
 * policies, the working-day overrides, and compliance. Owns the `<namespace>_worklog` database.
 */
import { DATE, ID, isDuplicateKey } from "../../shared/params";
import { randomBytes } from "node:crypto";
import { Types } from "mongoose";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { audit } from "../../shared/audit";
import { CITY_ORG_ID, canAdministerOrg, hasRole, type AuthUser, type CallMeta } from "../../shared/auth";
import { WorkCalendar, addDays, weekStart, isoWeek, type DayInfo } from "../../shared/calendar";
import { systemClock, type Clock } from "../../shared/clock";
import type { DirectoryEntry, OrgWithDivisions } from "../../shared/contracts/personnel";
import {
  LOG_KINDS,
  MAX_CONTENT,
  PERSONAL_RULES,
  type CalendarOverride,
  type CommentView,
  type ComplianceParams,
  type ComplianceReport,
  type FeedParams,
  type FeedResult,
  type LogInput,
  type LogPolicy,
  type LogUpdate,
  type LogVersionView,
  type LogView,
  type MonthCount,
  type OverdueItem,
  type PolicyInput,
  type SearchParams,
  type SearchResult,
  type UsefulTopItem,
  type WorklogSeedResult,
} from "../../shared/contracts/worklog";
import { dbMixin, emptyModels, type DbVars } from "../../shared/db";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  fieldError,
  type FieldError,
} from "../../shared/errors";
import { publish, type DomainEvent } from "../../shared/events";
import { withLockWait } from "../../shared/locks";
import { redis } from "../../shared/redis";
import { isIsoDate, localDate } from "../../shared/time";
import { computeRates, overdue, rankCounties, type Policy } from "./compliance";
import { generateWorklogDemo } from "./demo-data";
import { GroupCommit } from "./data/group-commit";
import { IndexSync, RedisJournal } from "./data/index-sync";
import { LogIndex, decodeCursor, encodeCursor, type FeedFilters, type IndexedLog } from "./data/log-index";
import { matchesNormalized, parseQuery, scoreNormalized, tokenize } from "./search";
import { checkContent, checkDate, cleanTags, dateFields, defaultPolicy, dueInstant, isDeadline } from "./rules";
import {
  registerModels,
  type CommentDoc,
  type LogDoc,
  type Models,
  type OverrideDoc,
  type PolicyDoc,
  type StaffCopyDoc,
  type VersionDoc,
} from "./data/models";

interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
  /** How often the read index reads the other replicas' change journal (missed broadcasts). */
  indexCatchUpMs?: number;
}

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface Author {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
}

/** A search hit: the log and its score (the view is made from the index when the page is served). */
interface Ranked {
  id: string;
  score: number;
}

interface OrgCopy {
  _id: string;
  name: string;
  divisions: { id: string; name: string; kind: string }[];
}

interface Vars {
  m: Models;
  clock: Clock;
  /** In-process copies of small, rarely changing collections, dropped on `worklog.cache.invalidate`. */
  cache: Map<string, { at: number; value: Promise<unknown>; refreshing?: boolean }>;
  /** The read index (feed, search, counts, drafts) and what keeps it current; set once built at start. */
  sync: IndexSync;
  /** The change journal the replicas read (a Redis stream, see index-sync.ts). */
  journal: RedisJournal;
  /** New logs go to the database through this, so that concurrent publishes share one write. */
  logInserts: GroupCommit<LogDoc>;
  catchUpTimer?: NodeJS.Timeout;
  /** A catch-up or rebuild is running: the timer skips its turn. */
  catchingUp?: boolean;
  /** Search rankings by query, filters and day, each valid for the index and version it was made from. */
  rankings: Map<string, { index: LogIndex; version: number; hits: Ranked[] }>;
}

/** What a cache entry holds; `index` asks the other replicas to rebuild their read index (after a demo reset). */
type CacheKind = "policies" | "calendar" | "orgs" | "staff" | "index";

interface Methods {
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
  readableLog(ctx: Ctx<unknown>, id: string): Promise<LogDoc>;
  ownLog(ctx: Ctx<unknown>, id: string): Promise<LogDoc>;
  cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  invalidate(kinds: CacheKind[], announce?: boolean): void;
  allStaff(): Promise<Map<string, StaffCopyDoc>>;
  activeStaff(orgId?: string): Promise<StaffCopyDoc[]>;
  buildIndex(): Promise<void>;
  catchUp(): Promise<void>;
  rank(q: string, filters: FeedFilters): Ranked[];
  logChanged(id: string, change: (index: LogIndex) => void): Promise<void>;
  emitLog(
    ctx: Ctx<unknown>,
    channel: "worklog.log.published" | "worklog.log.edited" | "worklog.log.withdrawn",
    log: LogDoc,
    extra?: { previousDate?: string },
  ): Promise<void>;
  syncDirectory(): Promise<{ staff: number; orgs: number }>;
  orgs(): Promise<OrgCopy[]>;
  resolveMentions(body: string, ids: string[]): Promise<{ staffId: string; name: string }[]>;
}

type This = Service<Settings> & DbVars & Vars & Methods;

const EDIT_CONFLICT = (): ConflictError => new ConflictError("EDIT_CONFLICT", "日志已被修改，请刷新后再试");
const NOT_A_DRAFT = (): ConflictError => new ConflictError("NOT_A_DRAFT", "只有草稿可以发布");
const BATCH = 1000;
/** Search ranks the newest logs holding every query token, at most this many (then the exact check). */
const SEARCH_CANDIDATES = 500;
/** Rankings kept for repeated searches (a page turn, a popular word); the oldest goes first. */
const RANKINGS_KEPT = 500;
/** Safety net for the event-invalidated caches, in case an invalidation broadcast is lost. */
const SMALL_TTL_MS = 60_000;
/** Reading the journal costs one Redis XRANGE (usually empty), so the catch-up runs often. */
const INDEX_CATCH_UP_MS = 5_000;
const CONTENT = { type: "string", max: MAX_CONTENT };
const TAGS = { type: "array", optional: true, max: 10, items: "string|min:1|max:20" };
const TASK_IDS = { type: "array", optional: true, max: 20, items: "string|min:1|max:64" };
const ADMIN_ROLES = ["hr_admin", "county_admin", "sys_admin", "leader"] as const;
const FEED_FILTERS = {
  orgId: `${ID}|optional`,
  divisionId: `${ID}|optional`,
  authorId: `${ID}|optional`,
  from: `${DATE}|optional`,
  to: `${DATE}|optional`,
  tag: "string|optional|min:1|max:20",
  kind: { type: "enum", values: LOG_KINDS, optional: true },
};

const newId = (): string => new Types.ObjectId().toHexString();
const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toView(d: IndexedLog): LogView {
  return {
    id: d._id,
    kind: d.kind,
    status: d.status,
    authorStaffId: d.authorStaffId,
    authorName: d.authorName,
    orgId: d.orgId,
    divisionId: d.divisionId,
    date: d.date,
    done: d.status === "withdrawn" ? "" : d.done,
    thoughts: d.status === "withdrawn" ? "" : d.thoughts,
    tags: d.tags ?? [],
    taskIds: d.taskIds ?? [],
    version: d.version,
    edited: d.edited,
    publishedAt: iso(d.publishedAt),
    editedAt: iso(d.editedAt),
    withdrawnAt: iso(d.withdrawnAt),
    withdrawReason: d.withdrawReason ?? null,
    late: d.late,
    readCount: d.readCount,
    usefulCount: d.usefulCount,
    commentCount: d.commentCount,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

const policyView = (d: PolicyDoc): LogPolicy => ({
  orgId: d._id,
  personal: d.personal,
  orgLogWeekly: d.orgLogWeekly,
  orgLogAuthors: d.orgLogAuthors ?? [],
  deadline: d.deadline,
  graceMinutes: d.graceMinutes,
  updatedAt: iso(d.updatedAt),
  updatedBy: d.updatedBy ?? null,
});

const versionView = (v: VersionDoc): LogVersionView => ({
  logId: v.logId,
  version: v.version,
  date: v.date,
  done: v.done,
  thoughts: v.thoughts,
  tags: v.tags,
  taskIds: v.taskIds,
  replacedAt: new Date(v.replacedAt).toISOString(),
  replacedBy: v.replacedBy,
});

const commentView = (c: CommentDoc): CommentView => ({
  id: c._id,
  logId: c.logId,
  authorStaffId: c.authorStaffId,
  authorName: c.authorName,
  body: c.body,
  mentions: c.mentions ?? [],
  createdAt: new Date(c.createdAt).toISOString(),
});

function checkRange(from: string | undefined, to: string | undefined, maxDays?: number): void {
  const errors: FieldError[] = [];
  if (from !== undefined && !isIsoDate(from)) errors.push({ field: "from", message: "日期格式应为 YYYY-MM-DD" });
  if (to !== undefined && !isIsoDate(to)) errors.push({ field: "to", message: "日期格式应为 YYYY-MM-DD" });
  if (!errors.length && from && to && from > to) errors.push({ field: "to", message: "结束日期不能早于开始日期" });
  if (!errors.length && maxDays && from && to && addDays(from, maxDays) <= to)
    errors.push({ field: "to", message: `时间段不能超过 ${maxDays} 天` });
  if (errors.length) throw new ValidationError("日期有误", errors);
}

const WorklogService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "worklog",
  mixins: [dbMixin("worklog")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    // ---------- writing ----------
    "logs.create": {
      rest: "POST /logs",
      params: {
        $$strict: true,
        date: `${DATE}|optional`,
        kind: { type: "enum", values: LOG_KINDS, optional: true },
        done: CONTENT,
        thoughts: { ...CONTENT, optional: true },
        tags: TAGS,
        taskIds: TASK_IDS,
        publish: "boolean|optional",
      },
      async handler(this: This, ctx: Ctx<LogInput>): Promise<LogView> {
        const p = ctx.params;
        const me = await this.author(ctx);
        const date = p.date ?? this.today();
        const errors = [
          checkDate(date, this.today()),
          checkContent(p.done, "done", true),
          checkContent(p.thoughts, "thoughts", false),
        ].filter((e): e is FieldError => !!e);
        if (errors.length) throw new ValidationError("日志内容有误", errors);
        const kind = p.kind ?? "personal";
        const policy = await this.policyOf(me.orgId);
        if (kind === "org" && !canAdministerOrg(ctx.meta.user!, me.orgId) && !policy.orgLogAuthors.includes(me.staffId))
          throw new ForbiddenError("只有指定的单位日志撰写人可以发布单位日志", "NOT_ORG_LOG_AUTHOR");
        const now = this.now();
        const published = p.publish !== false;
        const tags = cleanTags(p.tags);
        const doc: LogDoc = {
          _id: newId(),
          kind,
          status: published ? "published" : "draft",
          authorStaffId: me.staffId,
          authorName: me.name,
          orgId: me.orgId,
          divisionId: me.divisionId,
          date,
          ...dateFields(date),
          done: p.done,
          thoughts: p.thoughts ?? "",
          tags,
          taskIds: [...new Set(p.taskIds ?? [])],
          tokens: published ? tokenize([p.done, p.thoughts ?? "", ...tags].join("\n")) : [],
          version: 1,
          edited: false,
          late: published && now > dueInstant(date, policy),
          publishedAt: published ? now : null,
          editedAt: null,
          withdrawnAt: null,
          withdrawReason: null,
          readCount: 0,
          usefulCount: 0,
          commentCount: 0,
          createdAt: now,
        };
        await this.logInserts.insert(doc);
        // The index entry (compliance reads it too) and the durable event are independent: wait for both at once.
        await Promise.all([
          this.logChanged(doc._id, (index) => index.apply(doc)),
          published ? this.emitLog(ctx, "worklog.log.published", doc) : null,
        ]);
        return toView(doc);
      },
    },

    "logs.update": {
      rest: "PATCH /logs/:id",
      params: {
        $$strict: true,
        id: ID,
        date: `${DATE}|optional`,
        done: { ...CONTENT, optional: true },
        thoughts: { ...CONTENT, optional: true },
        tags: TAGS,
        taskIds: TASK_IDS,
      },
      async handler(this: This, ctx: Ctx<LogUpdate>): Promise<LogView> {
        const p = ctx.params;
        const log = await this.ownLog(ctx, p.id);
        if (log.status === "withdrawn") throw new ConflictError("LOG_WITHDRAWN", "日志已撤回，不能再编辑");
        const errors = [
          p.date !== undefined && p.date !== log.date ? checkDate(p.date, this.today()) : null,
          checkContent(p.done, "done", p.done !== undefined),
          checkContent(p.thoughts, "thoughts", false),
        ].filter((e): e is FieldError => !!e);
        if (errors.length) throw new ValidationError("日志内容有误", errors);
        const now = this.now();
        const next = {
          date: p.date ?? log.date,
          done: p.done ?? log.done,
          thoughts: p.thoughts ?? log.thoughts,
          tags: p.tags ? cleanTags(p.tags) : log.tags,
          taskIds: p.taskIds ? [...new Set(p.taskIds)] : log.taskIds,
        };
        const set: Partial<LogDoc> = { ...next, ...dateFields(next.date) };
        const isPublished = log.status === "published";
        if (isPublished) {
          const policy = await this.policyOf(log.orgId);
          Object.assign(set, {
            edited: true,
            editedAt: now,
            version: log.version + 1,
            late: new Date(log.publishedAt!) > dueInstant(next.date, policy),
            tokens: tokenize([next.done, next.thoughts, ...next.tags].join("\n")),
          });
          // The earlier version first: if the log update then loses a race, the history has a spare copy, never a gap.
          await this.keepVersion(log, now, "edit");
        }
        await this.writeLogIf(log, { status: log.status, version: log.version }, EDIT_CONFLICT, () =>
          this.m.Log.updateOne({ _id: log._id }, { $set: set }),
        );
        const updated = { ...log, ...set } as LogDoc;
        await Promise.all([
          this.logChanged(log._id, (index) => index.apply(updated)),
          isPublished ? this.emitLog(ctx, "worklog.log.edited", updated, { previousDate: log.date }) : null,
        ]);
        return toView(updated);
      },
    },

    "logs.publish": {
      rest: "POST /logs/:id/publish",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<LogView> {
        const log = await this.ownLog(ctx, ctx.params.id);
        if (log.status !== "draft") throw new ConflictError("NOT_A_DRAFT", "只有草稿可以发布");
        const dateError = checkDate(log.date, this.today());
        if (dateError) throw new ValidationError("日志日期已超出补写期限", [dateError]);
        const now = this.now();
        const policy = await this.policyOf(log.orgId);
        const set = {
          status: "published" as const,
          publishedAt: now,
          late: now > dueInstant(log.date, policy),
          tokens: tokenize([log.done, log.thoughts, ...log.tags].join("\n")),
        };
        await this.writeLogIf(log, { status: "draft" }, NOT_A_DRAFT, () =>
          this.m.Log.updateOne({ _id: log._id }, { $set: set }),
        );
        const updated = { ...log, ...set };
        await Promise.all([
          this.logChanged(log._id, (index) => index.apply(updated)),
          this.emitLog(ctx, "worklog.log.published", updated),
        ]);
        return toView(updated);
      },
    },

    "logs.withdraw": {
      rest: "POST /logs/:id/withdraw",
      params: { $$strict: true, id: ID, reason: "string|optional|trim|max:200" },
      async handler(this: This, ctx: Ctx<{ id: string; reason?: string }>): Promise<LogView> {
        const log = await this.ownLog(ctx, ctx.params.id);
        if (log.status !== "published") throw new ConflictError("NOT_PUBLISHED", "只有已发布的日志可以撤回");
        const now = this.now();
        await this.keepVersion(log, now, "withdraw");
        const set = {
          status: "withdrawn" as const,
          withdrawnAt: now,
          withdrawReason: ctx.params.reason || null,
          version: log.version + 1,
          done: "",
          thoughts: "",
          tokens: [],
        };
        await this.writeLogIf(log, { status: "published", version: log.version }, EDIT_CONFLICT, () =>
          this.m.Log.updateOne({ _id: log._id }, { $set: set }),
        );
        const updated = { ...log, ...set };
        await Promise.all([
          this.logChanged(log._id, (index) => index.apply(updated)),
          this.emitLog(ctx, "worklog.log.withdrawn", updated),
        ]);
        return toView(updated);
      },
    },

    "logs.deleteDraft": {
      rest: "DELETE /logs/:id",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ deleted: true }> {
        const log = await this.ownLog(ctx, ctx.params.id);
        if (log.status !== "draft")
          throw new ConflictError("NOT_A_DRAFT", "已发布的日志不能删除，只能撤回（保留撤回记录）");
        await this.writeLogIf(
          log,
          { status: "draft" },
          () => new ConflictError("NOT_A_DRAFT", "该日志已不是草稿"),
          () => this.m.Log.deleteOne({ _id: log._id }),
        );
        await this.logChanged(log._id, (index) => index.remove(log._id));
        return { deleted: true };
      },
    },

    // ---------- reading ----------
    "logs.get": {
      rest: "GET /logs/:id",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<LogView> {
        const log = await this.readableLog(ctx, ctx.params.id);
        const reader = ctx.meta.user?.staffId;
        if (log.status === "published" && reader && reader !== log.authorStaffId) {
          try {
            await this.m.Read.collection.insertOne({
              _id: `${log._id}:${reader}`,
              logId: log._id,
              readerStaffId: reader,
              at: this.now(),
            } as never);
            await this.m.Log.updateOne({ _id: log._id }, { $inc: { readCount: 1 } });
            log.readCount += 1;
            await this.logChanged(log._id, (index) => index.bump(log._id, "readCount", 1));
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
          }
        }
        return toView(log);
      },
    },

    "logs.history": {
      rest: "GET /logs/:id/versions",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ current: LogView; versions: LogVersionView[] }> {
        const log = await this.readableLog(ctx, ctx.params.id);
        const versions = await this.m.Version.find({ logId: log._id }).sort({ version: 1 }).lean<VersionDoc[]>();
        return { current: toView(log), versions: versions.map(versionView) };
      },
    },

    "logs.drafts": {
      rest: "GET /drafts",
      params: { $$strict: true },
      async handler(this: This, ctx: Ctx): Promise<LogView[]> {
        return this.sync.index.draftsOf(this.staffOf(ctx), 200).map(toView);
      },
    },

    "logs.feed": {
      rest: "GET /logs",
      params: {
        $$strict: true,
        ...FEED_FILTERS,
        q: "string|optional|trim|min:1|max:50",
        cursor: "string|optional|max:200",
        limit: "number|optional|integer|min:1|max:100|convert",
      },
      async handler(this: This, ctx: Ctx<FeedParams>): Promise<FeedResult> {
        const { q, cursor, limit = 20, ...filters } = ctx.params;
        checkRange(filters.from, filters.to);
        const after = cursor ? decodeCursor(cursor) : null;
        const index = this.sync.index;
        if (!q) {
          const page = index.page(filters, after, limit);
          return {
            items: page.items.map(toView),
            nextCursor: page.more ? encodeCursor(page.items[limit - 1]) : null,
          };
        }
        const query = parseQuery(q);
        if (!query.terms.length) throw fieldError("q", "关键词应包含文字或数字");
        // The substring check decides; the tokens only narrow the candidates.
        const items: IndexedLog[] = [];
        for (const d of index.withTokens(query.required, { filters, after })) {
          if (!matchesNormalized(query, index.searchText(d._id))) continue;
          items.push(d);
          if (items.length === limit) return { items: items.map(toView), nextCursor: encodeCursor(d) };
        }
        return { items: items.map(toView), nextCursor: null };
      },
    },

    "logs.search": {
      rest: "GET /search",
      params: {
        $$strict: true,
        ...FEED_FILTERS,
        q: "string|trim|min:1|max:50",
        page: "number|optional|integer|min:1|max:50|convert",
        limit: "number|optional|integer|min:1|max:100|convert",
      },
      async handler(this: This, ctx: Ctx<SearchParams>): Promise<SearchResult> {
        const { q, page = 1, limit = 20, ...filters } = ctx.params;
        checkRange(filters.from, filters.to);
        const hits = this.rank(q, filters);
        const index = this.sync.index;
        return {
          items: hits
            .slice((page - 1) * limit, page * limit)
            .map(({ id, score }) => ({ ...toView(index.get(id)!), score })),
          total: hits.length,
          page,
          limit,
        };
      },
    },

    "logs.counts": {
      rest: "GET /counts",
      params: {
        $$strict: true,
        authorId: `${ID}|optional`,
        divisionId: `${ID}|optional`,
        orgId: `${ID}|optional`,
        year: "number|optional|integer|min:2000|max:2100|convert",
      },
      async handler(
        this: This,
        ctx: Ctx<{ authorId?: string; divisionId?: string; orgId?: string; year?: number }>,
      ): Promise<MonthCount[]> {
        const { authorId, divisionId, orgId, year } = ctx.params;
        if (!authorId && !divisionId && !orgId) throw fieldError("authorId", "请指定人员、处室或单位");
        return this.sync.index.counts({ authorId, divisionId, orgId, year });
      },
    },

    // ---------- interaction ----------
    "comments.add": {
      rest: "POST /logs/:id/comments",
      params: {
        $$strict: true,
        id: ID,
        body: "string|min:1|max:2000",
        mentionIds: { type: "array", optional: true, max: 20, items: "string|min:1|max:64" },
      },
      async handler(this: This, ctx: Ctx<{ id: string; body: string; mentionIds?: string[] }>): Promise<CommentView> {
        const me = await this.author(ctx);
        if (!ctx.params.body.trim()) throw fieldError("body", "评论不能为空");
        const log = await this.readableLog(ctx, ctx.params.id);
        if (log.status !== "published") throw new ConflictError("NOT_PUBLISHED", "只能评论已发布的日志");
        const mentions = await this.resolveMentions(ctx.params.body, ctx.params.mentionIds ?? []);
        const doc: CommentDoc = {
          _id: newId(),
          logId: log._id,
          authorStaffId: me.staffId,
          authorName: me.name,
          body: ctx.params.body,
          mentions,
          createdAt: this.now(),
        };
        await this.m.Comment.collection.insertOne(doc as never);
        await this.m.Log.updateOne({ _id: log._id }, { $inc: { commentCount: 1 } });
        await this.logChanged(log._id, (index) => index.bump(log._id, "commentCount", 1));
        await publish(
          this.broker,
          "worklog.comment.added",
          {
            commentId: doc._id,
            logId: log._id,
            logAuthorStaffId: log.authorStaffId,
            authorStaffId: me.staffId,
            authorName: me.name,
            mentionedStaffIds: mentions.map((m) => m.staffId),
            createdAt: doc.createdAt.toISOString(),
          },
          `comment:${doc._id}`,
        );
        for (const m of mentions) {
          if (m.staffId === me.staffId) continue;
          await publish(
            this.broker,
            "notification.requested",
            {
              recipientStaffId: m.staffId,
              kind: "worklog.mention",
              title: `${me.name} 在日志评论中提到了你`,
              body: doc.body.slice(0, 140),
              link: `/worklog/logs/${log._id}`,
            },
            `mention:${doc._id}:${m.staffId}`,
          );
        }
        return commentView(doc);
      },
    },

    "comments.list": {
      rest: "GET /logs/:id/comments",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<CommentView[]> {
        const log = await this.readableLog(ctx, ctx.params.id);
        const docs = await this.m.Comment.find({ logId: log._id })
          .sort({ createdAt: 1 })
          .limit(500)
          .lean<CommentDoc[]>();
        return docs.map(commentView);
      },
    },

    "useful.set": {
      rest: "PUT /logs/:id/useful",
      params: { $$strict: true, id: ID, useful: "boolean" },
      async handler(
        this: This,
        ctx: Ctx<{ id: string; useful: boolean }>,
      ): Promise<{ logId: string; useful: boolean; usefulCount: number }> {
        const staffId = this.staffOf(ctx);
        const log = await this.readableLog(ctx, ctx.params.id);
        if (log.status !== "published") throw new ConflictError("NOT_PUBLISHED", "只能标记已发布的日志");
        if (log.authorStaffId === staffId) throw new ForbiddenError("不能给自己的日志点“借鉴”", "OWN_LOG");
        const key = `${log._id}:${staffId}`;
        let changed = false;
        if (ctx.params.useful) {
          const now = this.now();
          const week = isoWeek(localDate(now));
          try {
            await this.m.Useful.collection.insertOne({
              _id: key,
              logId: log._id,
              staffId,
              orgId: log.orgId,
              isoYear: week.year,
              isoWeek: week.week,
              at: now,
            } as never);
            changed = true;
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
          }
        } else {
          changed = (await this.m.Useful.deleteOne({ _id: key })).deletedCount === 1;
        }
        if (changed) {
          const delta = ctx.params.useful ? 1 : -1;
          await this.m.Log.updateOne({ _id: log._id }, { $inc: { usefulCount: delta } });
          await this.logChanged(log._id, (index) => index.bump(log._id, "usefulCount", delta));
        }
        const fresh = await this.m.Log.findById(log._id, { usefulCount: 1 }).lean<LogDoc>();
        const usefulCount = fresh?.usefulCount ?? 0;
        if (changed)
          await publish(this.broker, "worklog.useful.changed", {
            logId: log._id,
            logAuthorStaffId: log.authorStaffId,
            orgId: log.orgId,
            staffId,
            useful: ctx.params.useful,
            usefulCount,
            at: this.now().toISOString(),
          });
        return { logId: log._id, useful: ctx.params.useful, usefulCount };
      },
    },

    "useful.top": {
      rest: "GET /useful/top",
      params: {
        $$strict: true,
        orgId: `${ID}|optional`,
        date: `${DATE}|optional`,
        limit: "number|optional|integer|min:1|max:50|convert",
      },
      async handler(this: This, ctx: Ctx<{ orgId?: string; date?: string; limit?: number }>): Promise<UsefulTopItem[]> {
        const date = ctx.params.date ?? this.today();
        if (!isIsoDate(date)) throw fieldError("date", "日期格式应为 YYYY-MM-DD");
        const week = isoWeek(date);
        // Marks given during the week, whatever the log's date: what people found useful this week.
        const match: Record<string, unknown> = { isoYear: week.year, isoWeek: week.week };
        if (ctx.params.orgId) match.orgId = ctx.params.orgId;
        const rows = await this.m.Useful.aggregate<{ _id: string; n: number }>([
          { $match: match },
          { $group: { _id: "$logId", n: { $sum: 1 } } },
          { $sort: { n: -1, _id: 1 } },
          { $limit: ctx.params.limit ?? 10 },
        ]);
        return rows.flatMap((r) => {
          const log = this.sync.index.get(r._id);
          return log?.status === "published" ? [{ log: toView(log), usefulCount: r.n }] : [];
        });
      },
    },

    // ---------- policies and calendar ----------
    "policies.list": {
      rest: "GET /policies",
      params: { $$strict: true },
      async handler(this: This): Promise<LogPolicy[]> {
        return [...(await this.policies()).values()].sort((a, b) =>
          a.orgId === CITY_ORG_ID ? -1 : b.orgId === CITY_ORG_ID ? 1 : a.orgId.localeCompare(b.orgId),
        );
      },
    },

    "policies.get": {
      rest: "GET /policies/:orgId",
      params: { $$strict: true, orgId: ID },
      async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<LogPolicy> {
        const orgs = await this.orgs();
        if (orgs.length && !orgs.some((o) => o._id === ctx.params.orgId))
          throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        return this.policyOf(ctx.params.orgId);
      },
    },

    "policies.set": {
      rest: "PUT /policies/:orgId",
      auth: { roles: [...ADMIN_ROLES] },
      params: {
        $$strict: true,
        orgId: ID,
        personal: { type: "enum", values: PERSONAL_RULES, optional: true },
        orgLogWeekly: "boolean|optional",
        orgLogAuthors: { type: "array", optional: true, max: 20, unique: true, items: "string|min:1|max:64" },
        deadline: "string|optional|length:5",
        graceMinutes: "number|optional|integer|min:0|max:1440",
      },
      async handler(this: This, ctx: Ctx<PolicyInput & { orgId: string }>): Promise<LogPolicy> {
        const { orgId, ...input } = ctx.params;
        const orgs = await this.orgs();
        if (orgs.length && !orgs.some((o) => o._id === orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        if (!ctx.meta.system && !canAdministerOrg(ctx.meta.user!, orgId))
          throw new ForbiddenError("只能设置本单位的日志制度");
        const errors: FieldError[] = [];
        if (input.deadline !== undefined && !isDeadline(input.deadline))
          errors.push({ field: "deadline", message: "截止时间格式应为 HH:MM" });
        if (input.orgLogAuthors?.length) {
          const found = await this.m.Staff.find({ _id: { $in: input.orgLogAuthors }, orgId }, { _id: 1 }).lean<
            StaffCopyDoc[]
          >();
          const known = new Set(found.map((s) => s._id));
          const unknown = input.orgLogAuthors.filter((id) => !known.has(id));
          if (unknown.length) errors.push({ field: "orgLogAuthors", message: `不是本单位人员：${unknown.join("、")}` });
        }
        if (errors.length) throw new ValidationError("日志制度有误", errors);
        const current = await this.policyOf(orgId);
        const next = { ...current, ...input };
        await this.m.Policy.updateOne(
          { _id: orgId },
          {
            $set: {
              personal: next.personal,
              orgLogWeekly: next.orgLogWeekly,
              orgLogAuthors: next.orgLogAuthors,
              deadline: next.deadline,
              graceMinutes: next.graceMinutes,
              updatedAt: this.now(),
              updatedBy: ctx.meta.user?.accountId ?? null,
            },
          },
          { upsert: true },
        );
        this.invalidate(["policies"]);
        await audit(ctx, "worklog.policy.set", "success", `org:${orgId}`, { fields: Object.keys(input) });
        return this.policyOf(orgId);
      },
    },

    "calendar.days": {
      rest: "GET /calendar",
      params: { $$strict: true, from: DATE, to: DATE },
      async handler(this: This, ctx: Ctx<{ from: string; to: string }>): Promise<DayInfo[]> {
        checkRange(ctx.params.from, ctx.params.to, 366);
        const cal = await this.calendar();
        const out: DayInfo[] = [];
        for (let d = ctx.params.from; d <= ctx.params.to; d = addDays(d, 1)) out.push(cal.day(d));
        return out;
      },
    },

    "calendar.overrides.list": {
      rest: "GET /calendar/overrides",
      params: { $$strict: true, from: `${DATE}|optional`, to: `${DATE}|optional` },
      async handler(this: This, ctx: Ctx<{ from?: string; to?: string }>): Promise<CalendarOverride[]> {
        checkRange(ctx.params.from, ctx.params.to);
        const range: Record<string, string> = {};
        if (ctx.params.from) range.$gte = ctx.params.from;
        if (ctx.params.to) range.$lte = ctx.params.to;
        const docs = await this.m.Override.find(Object.keys(range).length ? { _id: range } : {})
          .sort({ _id: 1 })
          .lean<OverrideDoc[]>();
        return docs.map((d) => ({
          date: d._id,
          working: d.working,
          note: d.note,
          updatedBy: d.updatedBy,
          updatedAt: new Date(d.updatedAt).toISOString(),
        }));
      },
    },

    "calendar.overrides.set": {
      rest: "PUT /calendar/overrides/:date",
      auth: { roles: ["sys_admin", "hr_admin"] },
      params: {
        $$strict: true,
        date: DATE,
        /** true: a working day, false: a day off, null: remove the override */
        working: { type: "boolean", nullable: true },
        note: "string|optional|trim|max:100",
      },
      async handler(
        this: This,
        ctx: Ctx<{ date: string; working: boolean | null; note?: string }>,
      ): Promise<{ date: string; working: boolean | null; day: DayInfo }> {
        const user = ctx.meta.user;
        if (user && !hasRole(user, "sys_admin") && user.orgId !== CITY_ORG_ID)
          throw new ForbiddenError("工作日调整只能由系统管理员或市局人教处设置");
        const { date, working, note = "" } = ctx.params;
        if (!isIsoDate(date)) throw fieldError("date", "日期格式应为 YYYY-MM-DD");
        const now = this.now();
        if (working === null) await this.m.Override.deleteOne({ _id: date });
        else
          await this.m.Override.updateOne(
            { _id: date },
            { $set: { working, note, updatedBy: user?.accountId ?? null, updatedAt: now } },
            { upsert: true },
          );
        this.invalidate(["calendar"]);
        await audit(ctx, "worklog.calendar.override", "success", `date:${date}`, { working });
        await publish(this.broker, "calendar.override.changed", { date, working, note, at: now.toISOString() });
        return { date, working, day: (await this.calendar()).day(date) };
      },
    },

    // ---------- compliance ----------
    "compliance.report": {
      rest: "GET /compliance",
      params: { $$strict: true, from: DATE, to: DATE, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<ComplianceParams>): Promise<ComplianceReport> {
        const { from, to, orgId } = ctx.params;
        checkRange(from, to, 366);
        const [cal, policies, staff] = await Promise.all([this.calendar(), this.policies(), this.activeStaff(orgId)]);
        // Weekly rules look at whole ISO weeks, so the facts span from the first Monday to the last Sunday.
        const first = weekStart(from);
        const last = addDays(weekStart(to), 6);
        const scoped = new Map([...policies].filter(([id]) => !orgId || id === orgId)) as Map<string, Policy>;
        const r = computeRates({
          from,
          to,
          now: this.now(),
          cal,
          people: staff.map((s) => ({ id: s._id, name: s.name, orgId: s.orgId, divisionId: s.divisionId })),
          policies: scoped,
          facts: this.sync.index.facts(scoped.keys(), first, last),
          counties: [],
        });
        const counties = [...policies.keys()].filter((id) => id !== CITY_ORG_ID).sort();
        return {
          from,
          to,
          people: r.people,
          divisions: r.divisions,
          orgs: r.orgs,
          ranking: orgId ? { orgLog: [], personal: [] } : rankCounties(counties, r.orgs, r.orgLog),
        };
      },
    },

    "compliance.overdue": {
      rest: "GET /compliance/overdue",
      params: { $$strict: true, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<OverdueItem[]> {
        const { orgId } = ctx.params;
        const lookbackDays = 42;
        const today = this.today();
        const [cal, policies, staff, orgs] = await Promise.all([
          this.calendar(),
          this.policies(),
          this.activeStaff(orgId),
          this.orgs(),
        ]);
        const first = weekStart(addDays(today, -lookbackDays));
        const orgIds = [...policies.keys()].filter((id) => !orgId || id === orgId);
        return overdue({
          now: this.now(),
          today,
          lookbackDays,
          cal,
          people: staff.map((s) => ({ id: s._id, name: s.name, orgId: s.orgId, divisionId: s.divisionId })),
          policies: new Map([...policies].filter(([id]) => !orgId || id === orgId)) as Map<string, Policy>,
          orgNames: new Map(orgs.map((o) => [o._id, o.name])),
          facts: this.sync.index.facts(orgIds, first, addDays(weekStart(today), 6)),
        });
      },
    },

    // ---------- directory copy and demo data ----------
    "directory.sync": {
      auth: "internal",
      params: { $$strict: true },
      async handler(this: This): Promise<{ staff: number; orgs: number }> {
        return this.syncDirectory();
      },
    },

    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional", scale: "number|optional|positive|max:1" },
      async handler(this: This, ctx: Ctx<{ reset?: boolean; scale?: number }>): Promise<WorklogSeedResult> {
        const started = Date.now();
        const hasData = (await this.m.Log.countDocuments({}).limit(1)) > 0;
        if (hasData && !ctx.params.reset) return { seeded: false };
        const models = [this.m.Log, this.m.Version, this.m.Read, this.m.Useful, this.m.Comment, this.m.Policy];
        await emptyModels(models); // unique indexes must exist before the first write
        this.invalidate(["policies", "calendar", "orgs", "staff"]);
        await this.syncDirectory();
        const staff = await this.m.Staff.find({ status: "active" }).sort({ _id: 1 }).lean<StaffCopyDoc[]>();
        const orgs = await this.orgs();
        const demo = generateWorklogDemo({
          today: this.today(),
          staff,
          orgs,
          calendar: await this.calendar(),
          scale: ctx.params.scale,
        });
        await this.m.Policy.collection.insertMany(demo.policies as never[]);
        const tokenStart = Date.now();
        for (const log of demo.logs) log.tokens = tokenize([log.done, log.thoughts, ...log.tags].join("\n"));
        const tokenizeMs = Date.now() - tokenStart;
        const insert = async (coll: { insertMany(d: never[], o: object): Promise<unknown> }, docs: object[]) => {
          for (let i = 0; i < docs.length; i += BATCH)
            await coll.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
        };
        const head = await this.journal.head();
        const insertStart = Date.now();
        await insert(this.m.Log.collection, demo.logs);
        const insertLogsMs = Date.now() - insertStart;
        await insert(this.m.Comment.collection, demo.comments);
        await insert(this.m.Useful.collection, demo.useful);
        // The read index from the logs just written (no need to read them back); other replicas rebuild theirs.
        const indexStart = Date.now();
        this.sync.replace(LogIndex.of(demo.logs), head);
        const indexMs = Date.now() - indexStart;
        this.invalidate(["policies", "index"]);
        const result: WorklogSeedResult = {
          seeded: true,
          logs: demo.logs.length,
          comments: demo.comments.length,
          usefulMarks: demo.useful.length,
          staff: staff.length,
          tokenizeMs,
          insertLogsMs,
          indexMs,
          ms: Date.now() - started,
        };
        this.logger.info("Demo work logs seeded", result);
        return result;
      },
    },
  },

  /**
   * Events: cache invalidation and changed logs between worklog instances. Not durable: the caches
   * also expire, and the read index catches up from the change journal.
   */
  events: {
    "worklog.cache.invalidate": {
      params: {
        kinds: { type: "array", items: "string" },
        /** [log id, change stamp] of logs changed on the sender */
        logs: { type: "array", optional: true, items: { type: "array", length: 2, items: "string" } },
      },
      handler(this: This, ctx: Context<{ kinds: CacheKind[]; logs?: [string, string][] }>) {
        if (ctx.nodeID === this.broker.nodeID) return;
        this.invalidate(ctx.params.kinds, false);
        if (ctx.params.kinds.includes("index"))
          this.buildIndex().catch((err: Error) => this.logger.error("Read index not rebuilt:", err.message));
        if (ctx.params.logs?.length)
          this.sync
            .remote(ctx.params.logs)
            .catch((err: Error) => this.logger.warn("Changed logs not re-read (the catch-up will):", err.message));
      },
    },
  },

  /** Durable channels */
  channels: {
    "personnel.staff.changed": {
      group: "worklog",
      async handler(this: This, event: DomainEvent<"personnel.staff.changed">) {
        // Idempotent on the record's version: an older or repeated event matches nothing and changes nothing.
        const s = event.data;
        try {
          await this.m.Staff.updateOne(
            { _id: s.staffId, version: { $lt: s.version } },
            { $set: { name: s.name, orgId: s.orgId, divisionId: s.divisionId, status: s.status, version: s.version } },
            { upsert: true },
          );
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        this.invalidate(["staff", "policies"]);
      },
    },
  },

  /** Methods */
  methods: {
    now(this: This): Date {
      return this.clock.now();
    },

    today(this: This): string {
      return localDate(this.clock.now());
    },

    staffOf(this: This, ctx: Ctx<unknown>): string {
      const staffId = ctx.meta.user?.staffId;
      if (!staffId) throw new ForbiddenError("该账号没有对应的人员档案", "NO_STAFF_RECORD");
      return staffId;
    },

    /** The caller as a log author: worklog's directory copy, or the session's own facts until the copy arrives. */
    async author(this: This, ctx: Ctx<unknown>): Promise<Author> {
      const staffId = this.staffOf(ctx);
      const copy = (await this.allStaff()).get(staffId) ?? (await this.m.Staff.findById(staffId).lean<StaffCopyDoc>());
      if (copy) {
        if (copy.status !== "active") throw new ForbiddenError("该人员已不在职", "STAFF_INACTIVE");
        return { staffId, name: copy.name, orgId: copy.orgId, divisionId: copy.divisionId };
      }
      const user = ctx.meta.user as AuthUser;
      return { staffId, name: user.name, orgId: user.orgId, divisionId: user.divisionId ?? "" };
    },

    async policyOf(this: This, orgId: string): Promise<LogPolicy> {
      return (
        (await this.policies()).get(orgId) ?? { ...defaultPolicy(orgId, CITY_ORG_ID), updatedAt: null, updatedBy: null }
      );
    },

    /** Every organisation's policy (stored or default), keyed by organisation id. */
    async policies(this: This): Promise<Map<string, LogPolicy>> {
      return this.cached("policies", SMALL_TTL_MS, async () => {
        const [docs, orgs, staff] = await Promise.all([
          this.m.Policy.find().lean<PolicyDoc[]>(),
          this.orgs(),
          this.allStaff(),
        ]);
        const out = new Map<string, LogPolicy>();
        for (const id of new Set([...orgs.map((o) => o._id), ...[...staff.values()].map((s) => s.orgId)]))
          out.set(id, { ...defaultPolicy(id, CITY_ORG_ID), updatedAt: null, updatedBy: null });
        for (const d of docs) out.set(d._id, policyView(d));
        return out;
      });
    },

    async calendar(this: This): Promise<WorkCalendar> {
      return this.cached("calendar", SMALL_TTL_MS, async () => {
        const docs = await this.m.Override.find().lean<OverrideDoc[]>();
        return new WorkCalendar(new Map(docs.map((d) => [d._id, d.working])));
      });
    },

    /** worklog's whole staff copy (about 1,500 small documents), by id. */
    async allStaff(this: This): Promise<Map<string, StaffCopyDoc>> {
      return this.cached("staff", SMALL_TTL_MS, async () => {
        const docs = await this.m.Staff.find().sort({ _id: 1 }).lean<StaffCopyDoc[]>();
        return new Map(docs.map((d) => [d._id, d]));
      });
    },

    async activeStaff(this: This, orgId?: string): Promise<StaffCopyDoc[]> {
      return [...(await this.allStaff()).values()].filter(
        (s) => s.status === "active" && (!orgId || s.orgId === orgId),
      );
    },

    /**
     * A value loaded once and shared until it is invalidated (then the next call loads it again). Once
     * older than `ttlMs` (the safety net for a lost invalidation) it is still served while a fresh
     * copy loads in the background, so no request waits for that reload. A failed load is not kept.
     */
    cached<T>(this: This, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const hit = this.cache.get(key);
      if (hit) {
        if (Date.now() - hit.at >= ttlMs && !hit.refreshing) {
          hit.refreshing = true;
          const fresh = load();
          fresh.then(
            () => this.cache.get(key) === hit && this.cache.set(key, { at: Date.now(), value: fresh }),
            (err: Error) => {
              hit.refreshing = false;
              this.logger.warn(`Cache ${key} not refreshed:`, err.message);
            },
          );
        }
        return hit.value as Promise<T>;
      }
      const value = load();
      this.cache.set(key, { at: Date.now(), value });
      value.catch(() => {
        if (this.cache.get(key)?.value === value) this.cache.delete(key);
      });
      return value;
    },

    /** Drops cached values here and, unless told otherwise, on the other worklog instances. */
    invalidate(this: This, kinds: CacheKind[], announce = true): void {
      for (const key of [...this.cache.keys()])
        if (kinds.some((k) => key === k || key.startsWith(`${k}:`))) this.cache.delete(key);
      if (announce)
        this.broker
          .broadcast("worklog.cache.invalidate", { kinds }, { groups: ["worklog"] })
          .catch((err: Error) => this.logger.warn("cache invalidation not sent:", err.message));
    },

    /**
     * Builds the read index from one pass over the logs, then catches up with what other replicas
     * wrote meanwhile (their change journal). At start this runs before the service is announced,
     * so no request ever meets an empty or partial index; a rebuild (demo reset) swaps the new one in.
     */
    async buildIndex(this: This): Promise<void> {
      const from = Date.now();
      // The journal's head before the read: whatever changes during the read is read again after it.
      const head = await this.journal.head();
      const index = await LogIndex.from(this.m.Log.collection.find({}).batchSize(2000) as AsyncIterable<LogDoc>);
      if (this.sync) this.sync.replace(index, head);
      else
        this.sync = new IndexSync(
          index,
          {
            journal: this.journal,
            writerId: `${this.broker.nodeID}-${randomBytes(3).toString("hex")}`,
            load: (id) => this.m.Log.collection.findOne({ _id: id } as never) as Promise<LogDoc | null>,
          },
          head,
        );
      const caught = await this.sync.catchUp();
      this.logger.info("Read index built", { logs: index.size, ms: Date.now() - from, ...caught });
    },

    /**
     * A search's ranking: the newest candidates holding every query token, checked for the exact
     * text, scored, best first. Kept while the index does not change (counters aside: the views
     * are made when served), so page turns and repeated searches rank once.
     */
    rank(this: This, q: string, filters: FeedFilters): Ranked[] {
      const index = this.sync.index;
      const today = this.today();
      const key = JSON.stringify([q, today, filters]);
      const kept = this.rankings.get(key);
      if (kept && kept.index === index && kept.version === index.version) return kept.hits;
      const query = parseQuery(q);
      if (!query.terms.length) throw fieldError("q", "关键词应包含文字或数字");
      const midnight = Date.parse(`${today}T00:00:00Z`);
      const hits: (Ranked & { date: string })[] = [];
      let candidates = 0;
      for (const d of index.withTokens(query.required, { filters })) {
        const text = index.searchText(d._id);
        if (matchesNormalized(query, text)) {
          const ageDays = (midnight - Date.parse(`${d.date}T00:00:00Z`)) / 86_400_000;
          const score = scoreNormalized(query, text, (word) => index.hasToken(d._id, word), ageDays);
          hits.push({ id: d._id, score, date: d.date });
        }
        if (++candidates === SEARCH_CANDIDATES) break;
      }
      hits.sort((a, b) => b.score - a.score || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
      const ranked = hits.map(({ id, score }) => ({ id, score }));
      this.rankings.delete(key);
      this.rankings.set(key, { index, version: index.version, hits: ranked });
      if (this.rankings.size > RANKINGS_KEPT) this.rankings.delete(this.rankings.keys().next().value!);
      return ranked;
    },

    /** Reads the change journal; rebuilds the index when the journal may have lost changes. */
    async catchUp(this: This): Promise<void> {
      if (this.catchingUp) return;
      this.catchingUp = true;
      try {
        const r = await this.sync.catchUp();
        if (r.lost) {
          this.logger.warn("The change journal may have lost changes (Redis restarted?): rebuilding the read index");
          await this.buildIndex();
        }
      } finally {
        this.catchingUp = false;
      }
    },

    /**
     * A log changed here (already written): the index takes it now, the other replicas hear of it by
     * broadcast and re-read it by `_id`; resolves once the change is in the journal (their catch-up).
     */
    logChanged(this: This, id: string, change: (index: LogIndex) => void): Promise<void> {
      const { stamp, journaled } = this.sync.local(change, id);
      this.broker
        .broadcast("worklog.cache.invalidate", { kinds: [], logs: [[id, stamp]] }, { groups: ["worklog"] })
        .catch((err: Error) => this.logger.warn("log change not announced:", err.message));
      return journaled;
    },

    /** Keeps a log's version before it is replaced; a second copy (a retried step) is not an error. */
    async keepVersion(this: This, log: LogDoc, replacedAt: Date, replacedBy: VersionDoc["replacedBy"]): Promise<void> {
      const { _id, version, date, done, thoughts, tags, taskIds } = log;
      const doc: VersionDoc = {
        _id: `${_id}:v${version}`,
        logId: _id,
        version,
        date,
        done,
        thoughts,
        tags,
        taskIds,
        replacedAt,
        replacedBy,
      };
      await this.m.Version.collection.insertOne(doc as never).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    },

    /**
     * Writes a log only if it is still in the expected state. The check and the write are by `_id`
     * alone, under the log's Redis lock: FerretDB serves only `_id`-only filters from an index, and
     * the compound filter this replaces (`{_id, version, status}`) scanned every log (seconds).
     */
    async writeLogIf(this: This, log, expect, conflict, write): Promise<void> {
      await withLockWait(`worklog:log:${log._id}`, 30_000, async () => {
        const now = await this.m.Log.findById(log._id, { status: 1, version: 1 }).lean<
          Pick<LogDoc, "status" | "version">
        >();
        if (!now || now.status !== expect.status || (expect.version !== undefined && now.version !== expect.version))
          throw conflict();
        await write();
      });
    },

    async loadLog(this: This, id: string): Promise<LogDoc> {
      const doc = await this.m.Log.findById(id).lean<LogDoc>();
      if (!doc) throw new NotFoundError("LOG_NOT_FOUND", "日志不存在");
      return doc;
    },

    /** A log the caller may read: published and withdrawn ones for everyone, drafts for their author only. */
    async readableLog(this: This, ctx: Ctx<unknown>, id: string): Promise<LogDoc> {
      const doc = await this.loadLog(id);
      if (doc.status === "draft" && !ctx.meta.system && doc.authorStaffId !== ctx.meta.user?.staffId)
        throw new NotFoundError("LOG_NOT_FOUND", "日志不存在");
      return doc;
    },

    /** A log the caller wrote; anyone else gets 403 and nothing changes. */
    async ownLog(this: This, ctx: Ctx<unknown>, id: string): Promise<LogDoc> {
      const staffId = this.staffOf(ctx);
      const doc = await this.readableLog(ctx, id);
      if (doc.authorStaffId !== staffId) throw new ForbiddenError("只能修改自己的日志", "NOT_OWNER");
      return doc;
    },

    async emitLog(this: This, _ctx, channel, log, extra = {}): Promise<void> {
      const base = {
        logId: log._id,
        kind: log.kind,
        authorStaffId: log.authorStaffId,
        authorName: log.authorName,
        orgId: log.orgId,
        divisionId: log.divisionId,
        date: log.date,
        version: log.version,
      };
      const id = `${log._id}:v${log.version}:${channel.split(".").pop()}`;
      if (channel === "worklog.log.published")
        await publish(
          this.broker,
          channel,
          {
            ...base,
            publishedAt: new Date(log.publishedAt!).toISOString(),
            late: log.late,
            tags: log.tags,
            taskIds: log.taskIds,
          },
          id,
        );
      else if (channel === "worklog.log.edited")
        await publish(
          this.broker,
          channel,
          {
            ...base,
            editedAt: new Date(log.editedAt!).toISOString(),
            previousDate: extra.previousDate ?? log.date,
            tags: log.tags,
            taskIds: log.taskIds,
          },
          id,
        );
      else
        await publish(
          this.broker,
          channel,
          { ...base, withdrawnAt: new Date(log.withdrawnAt!).toISOString(), reason: log.withdrawReason },
          id,
        );
    },

    /** Copies the staff directory and the organisations from personnel; copies newer from events stay. */
    async syncDirectory(this: This): Promise<{ staff: number; orgs: number }> {
      const meta = { meta: { system: true } };
      const [entries, orgs] = await Promise.all([
        this.broker.call<DirectoryEntry[], object>("personnel.staff.directory", {}, meta),
        this.broker.call<OrgWithDivisions[], object>("personnel.orgs.list", {}, meta),
      ]);
      for (let i = 0; i < entries.length; i += BATCH) {
        const ops = entries.slice(i, i + BATCH).map((e) => ({
          updateOne: {
            filter: { _id: e.id, version: { $lte: 0 } },
            update: { $set: { name: e.name, orgId: e.orgId, divisionId: e.divisionId, status: e.status, version: 0 } },
            upsert: true,
          },
        }));
        await this.m.Staff.bulkWrite(ops, { ordered: false }).catch((err) => {
          if (!isDuplicateKey(err)) throw err;
        });
      }
      const orgColl = this.db.collection<OrgCopy>("orgs");
      await orgColl.bulkWrite(
        orgs.map((o) => ({
          updateOne: {
            filter: { _id: o.id },
            update: {
              $set: { name: o.name, divisions: o.divisions.map((d) => ({ id: d.id, name: d.name, kind: d.kind })) },
            },
            upsert: true,
          },
        })),
      );
      this.invalidate(["staff", "orgs", "policies"]);
      return { staff: entries.length, orgs: orgs.length };
    },

    async orgs(this: This): Promise<OrgCopy[]> {
      return this.cached("orgs", SMALL_TTL_MS, () => this.db.collection<OrgCopy>("orgs").find().toArray());
    },

    /**
     * Mentions: the ids the client picked (validated against the directory copy), plus `@姓名` in the
     * text when exactly one active staff member has that name (a common name that several people
     * share is left to the client's explicit pick).
     */
    async resolveMentions(this: This, body: string, ids: string[]): Promise<{ staffId: string; name: string }[]> {
      const out = new Map<string, string>();
      if (ids.length) {
        const found = await this.m.Staff.find({ _id: { $in: ids } }).lean<StaffCopyDoc[]>();
        const known = new Map(found.map((s) => [s._id, s.name]));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length) throw fieldError("mentionIds", `人员不存在：${unknown.join("、")}`);
        for (const id of ids) out.set(id, known.get(id)!);
      }
      const names = [...body.matchAll(/@([\u4e00-\u9fff]{2,4})/g)].map((m) => m[1]);
      if (names.length) {
        const candidates = new Set<string>();
        for (const n of names) for (let len = 2; len <= n.length; len++) candidates.add(n.slice(0, len));
        const found = await this.m.Staff.find({ name: { $in: [...candidates] }, status: "active" }).lean<
          StaffCopyDoc[]
        >();
        const byName = new Map<string, StaffCopyDoc[]>();
        for (const s of found) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
        for (const n of names)
          for (let len = n.length; len >= 2; len--) {
            const hit = byName.get(n.slice(0, len));
            if (hit?.length === 1) {
              out.set(hit[0]._id, hit[0].name);
              break;
            }
            if (hit) break;
          }
      }
      return [...out].map(([staffId, name]) => ({ staffId, name }));
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.cache = new Map();
    this.rankings = new Map();
    this.journal = new RedisJournal(redis, "worklog:index-journal");
    this.logInserts = new GroupCommit((docs, opts) => this.m.Log.collection.insertMany(docs as never[], opts));
  },

  async started(this: This) {
    // Collections of earlier designs, now read by nothing: the compliance buckets (compliance comes
    // from the read index) and the change journal (now a Redis stream, index-sync.ts).
    for (const legacy of ["compliance_months", "index_journal", "index_writers"])
      await this.db.dropCollection(legacy).catch(() => undefined);
    // The directory copy is filled once personnel is up; events keep it current afterwards.
    if ((await this.m.Staff.countDocuments({}).limit(1)) === 0)
      void this.broker
        .waitForServices(["personnel"], 120_000)
        .then(() => this.syncDirectory())
        .catch((err) => this.logger.warn("Staff directory not copied yet:", (err as Error).message));
    // Indexes of the logs from before the read index: every publish paid for them and nothing reads them now.
    const legacy = (await this.m.Log.collection.indexes().catch(() => [])).filter((i) => i.name !== "_id_");
    for (const i of legacy) await this.m.Log.collection.dropIndex(i.name!);
    // The small copies compliance and publishing need, loaded before the first request needs them.
    await Promise.all([this.policies(), this.calendar()]).catch((err: Error) =>
      this.logger.warn("Policies and calendar not loaded yet:", err.message),
    );
    await this.buildIndex();
    this.catchUpTimer = setInterval(() => {
      this.catchUp().catch((err: Error) => this.logger.warn("Read index catch-up failed:", err.message));
    }, this.settings.indexCatchUpMs ?? INDEX_CATCH_UP_MS);
  },

  stopped(this: This) {
    clearInterval(this.catchUpTimer);
  },
};

export default WorklogService as unknown as ServiceSchema;
