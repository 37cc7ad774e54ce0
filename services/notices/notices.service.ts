/**
 * Notices: information reports sent upwards and reviewed by the offices (信息报送), publicity items
 * verified by the office (宣传), the indicator facts both produce for the assessment service, and
 * notices to a scope with read receipts (通知公告). Owns the `<namespace>_notices` database.
 * Who reviews and who sees what: access.ts; the review steps: workflow.ts.
 */
import { ID, YEAR, isDuplicateKey } from "../../shared/params";
import { createHash, randomBytes } from "node:crypto";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Model } from "mongoose";
import { audit } from "../../shared/audit";
import { CITY_ORG_ID, isCityWide, type CallMeta } from "../../shared/auth";
import { systemClock, type Clock } from "../../shared/clock";
import type { IndicatorFact } from "../../shared/contracts/assessment";
import {
  DEFAULT_POINTS,
  INFO_CATEGORIES,
  INFO_LEVELS,
  INFO_STATUSES,
  NOTICE_LINKS,
  NOTICE_SCOPES,
  OUTLET_LEVELS,
  PUBLICITY_STATUSES,
  type FactsParams,
  type InfoLevel,
  type FactsResult,
  type InfoAdoptParams,
  type InfoCommandParams,
  type InfoCreateParams,
  type InfoListParams,
  type InfoReportView,
  type InfoUpdateParams,
  type ListResult,
  type NoticeList,
  type NoticeListParams,
  type NoticePublishParams,
  type NoticeReceipts,
  type NoticeScope,
  type NoticeSentParams,
  type NoticeView,
  type NoticesSeedResult,
  type PointSettings,
  type PointSettingsUpdate,
  type PublicityCommandParams,
  type PublicityCreateParams,
  type PublicityListParams,
  type PublicityUpdateParams,
  type PublicityView,
  type ReceiptPerson,
  type TrailEntry,
} from "../../shared/contracts/notices";
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";
import { dbMixin, emptyModels, type DbVars } from "../../shared/db";
import { ConflictError, ForbiddenError, NotFoundError, fieldError } from "../../shared/errors";
import { publish } from "../../shared/events";
import { orgRefs, type OrgRefs } from "../../shared/org-refs";
import { isIsoDate, localDate } from "../../shared/time";
import {
  SYSTEM_ACTOR,
  firstStage,
  isOfficeOf,
  managesNotice,
  mayPublishTo,
  reviewsStage,
  seesAll,
  seesPublicity,
  seesReport,
  type Actor,
} from "./access";
import { generateNoticesDemo } from "./demo-data";
import {
  registerModels,
  type InfoDoc,
  type Models,
  type NoticeDoc,
  type NoticeReadsDoc,
  type PublicityDoc,
  type ReaderDoc,
  type SettingDoc,
  type TrailDoc,
} from "./notices.model";
import { ItemIndex } from "./item-index";
import { DocWriter } from "./store";
import {
  applyInfoStep,
  applyPublicityStep,
  authorEntry,
  factEventId,
  infoAllowed,
  infoNotification,
  notificationEventId,
  publicityAllowed,
  publicityNotification,
  type InfoStep,
  type Points,
  type PublicityStep,
} from "./workflow";

interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** Organisations and divisions, from personnel. */
type Refs = OrgRefs;

/** What lists and the facts listing filter on, kept in memory (see item-index.ts). */
type InfoRow = Pick<
  InfoDoc,
  "_id" | "status" | "stage" | "authorStaffId" | "orgId" | "year" | "reachedCity" | "updatedAt" | "fact"
> & { level: InfoLevel | null };
type PublicityRow = Pick<
  PublicityDoc,
  "_id" | "status" | "authorStaffId" | "recordedByStaffId" | "orgId" | "year" | "outletLevel" | "updatedAt" | "fact"
>;
const INFO_ROW = {
  status: 1,
  stage: 1,
  authorStaffId: 1,
  orgId: 1,
  year: 1,
  reachedCity: 1,
  updatedAt: 1,
  fact: 1,
  adoption: 1,
};
const PUBLICITY_ROW = {
  status: 1,
  authorStaffId: 1,
  recordedByStaffId: 1,
  orgId: 1,
  year: 1,
  outletLevel: 1,
  updatedAt: 1,
  fact: 1,
};
const infoRow = (d: Omit<InfoRow, "level"> & Pick<InfoDoc, "adoption">): InfoRow => ({
  _id: d._id,
  status: d.status,
  stage: d.stage,
  authorStaffId: d.authorStaffId,
  orgId: d.orgId,
  year: d.year,
  reachedCity: d.reachedCity,
  updatedAt: d.updatedAt,
  fact: d.fact,
  level: d.adoption?.level ?? null,
});
const publicityRow = (d: PublicityRow): PublicityRow => ({
  _id: d._id,
  status: d.status,
  authorStaffId: d.authorStaffId,
  recordedByStaffId: d.recordedByStaffId,
  orgId: d.orgId,
  year: d.year,
  outletLevel: d.outletLevel,
  updatedAt: d.updatedAt,
  fact: d.fact,
});

const cachedNotice = (d: NoticeDoc): CachedNotice => ({ ...d, recipientSet: new Set(d.recipients) });

/** Moleculer event (all replicas): an item changed (`id`), or everything did (after a seed). */
interface Changed {
  kind: "info" | "publicity" | "notice" | "all";
  id?: string;
}

interface CachedNotice extends NoticeDoc {
  recipientSet: Set<string>;
}

interface Vars {
  m: Models;
  clock: Clock;
  writer: DocWriter;
  infoIndex: ItemIndex<InfoRow>;
  publicityIndex: ItemIndex<PublicityRow>;
  /** Read counts shown in notice lists; exact counts come from `get` and `receipts`. */
  readCounts: Map<string, { count: number; at: number }>;
  refsCache: Refs | null;
  noticeIndex: ItemIndex<CachedNotice>;
}

interface Methods {
  now(): Date;
  changed(kind: Changed["kind"], doc?: InfoDoc | PublicityDoc | NoticeDoc): void;
  page<T extends { _id: string }, D>(
    rows: T[],
    p: { page?: number; limit?: number },
    load: (id: string) => Promise<D | null>,
  ): Promise<ListResult<D>>;
  readCount(noticeId: string): Promise<number>;
  refs(): Promise<Refs>;
  actor(ctx: Ctx<unknown>): Promise<Actor>;
  author(ctx: Ctx<unknown>): Promise<Actor & { staffId: string }>;
  points(): Promise<PointSettings>;
  loadInfo(actor: Actor, id: string): Promise<InfoDoc>;
  loadPublicity(actor: Actor, id: string): Promise<PublicityDoc>;
  infoView(d: InfoDoc, actor: Actor): InfoReportView;
  publicityView(d: PublicityDoc, actor: Actor): PublicityView;
  stepInfo(ctx: Ctx<unknown>, id: string, step: InfoStep, commandId: string | undefined): Promise<InfoReportView>;
  stepPublicity(
    ctx: Ctx<unknown>,
    id: string,
    step: PublicityStep,
    commandId: string | undefined,
  ): Promise<PublicityView>;
  emitStep(kind: "info" | "publicity", doc: InfoDoc | PublicityDoc, index: number): Promise<void>;
  publishFact(fact: IndicatorFact): Promise<void>;
  notices(): Promise<{ list: CachedNotice[]; byId: Map<string, CachedNotice> }>;
  loadNotice(actor: Actor, id: string): Promise<CachedNotice>;
  noticeViews(notices: CachedNotice[], actor: Actor, reader: ReaderDoc | null): Promise<NoticeView[]>;
  reader(staffId: string | null): Promise<ReaderDoc | null>;
  directory(params: { orgId?: string; ids?: string[] }): Promise<DirectoryEntry[]>;
}

type This = Service<Settings> & DbVars & Vars & Methods;

const OPTIONAL_YEAR = { ...YEAR, optional: true } as const;
const CMD = "string|min:1|max:64|optional";
const COMMENT = "string|min:1|max:2000|trim";
const PAGE = { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true };
const LIMIT = { type: "number", integer: true, min: 1, max: 200, convert: true, optional: true };
const BOX = { type: "enum", values: ["mine", "review", "all"], optional: true };
const POINT = { type: "number", min: 0, max: 100, convert: true, optional: true };
const BATCH = 1000;
const READ_COUNT_TTL_MS = 30_000;
const CHANGED_EVENT = "notices.changed";

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
const randomId = (prefix: string): string => `${prefix}-${randomBytes(8).toString("hex")}`;
/** A re-sent create with the same command id lands on the same document. */
const commandDocId = (prefix: string, by: string, commandId: string): string =>
  `${prefix}-${createHash("sha256").update(`${by}|${commandId}`).digest("hex").slice(0, 20)}`;

const trailView = (t: TrailDoc): TrailEntry => ({
  at: iso(t.at)!,
  action: t.action,
  actorStaffId: t.actorStaffId,
  actorName: t.actorName,
  fromStatus: t.fromStatus,
  toStatus: t.toStatus,
  stage: t.stage,
  comment: t.comment,
  level: t.level,
  usedIn: t.usedIn,
  points: t.points,
});

function page<T>(rows: T[], p: { page?: number; limit?: number }): ListResult<T> {
  const limit = p.limit ?? 20;
  const pg = p.page ?? 1;
  return { items: rows.slice((pg - 1) * limit, pg * limit), total: rows.length, page: pg, limit };
}

const byUpdatedDesc = (a: { updatedAt: Date; _id: string }, b: { updatedAt: Date; _id: string }): number =>
  +new Date(b.updatedAt) - +new Date(a.updatedAt) || (a._id < b._id ? -1 : 1);

const NoticesService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "notices",
  mixins: [dbMixin("notices")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    // ---------- information reports (信息报送) ----------
    "info.create": {
      rest: "POST /info",
      params: {
        $$strict: true,
        title: "string|min:1|max:200|trim",
        body: "string|min:1|max:20000|trim",
        category: { type: "enum", values: INFO_CATEGORIES, optional: true, nullable: true },
        submit: "boolean|optional",
        commandId: CMD,
      },
      async handler(this: This, ctx: Ctx<InfoCreateParams>): Promise<InfoReportView> {
        const me = await this.author(ctx);
        const { title, body, category, submit = true, commandId } = ctx.params;
        const user = ctx.meta.user!;
        const now = this.now();
        const id = commandId ? commandDocId("ir", me.staffId, commandId) : randomId("ir");
        let doc: InfoDoc = {
          _id: id,
          title,
          body,
          category: category ?? null,
          status: "draft",
          stage: null,
          authorStaffId: me.staffId,
          authorName: user.name,
          orgId: user.orgId,
          divisionId: user.divisionId ?? "",
          year: Number(localDate(now).slice(0, 4)),
          submittedAt: null,
          forwardedAt: null,
          reachedCity: false,
          adoption: null,
          lastComment: null,
          version: 1,
          createdAt: now,
          updatedAt: now,
          trail: [authorEntry(me, now, "create", null, "draft", null, commandId ?? null)],
          fact: null,
          rev: 1,
        };
        if (submit) doc = applyInfoStep(doc, { action: "submit" }, me, now, DEFAULT_POINTS, null)!;
        try {
          await this.m.Info.collection.insertOne(doc as never);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          // The same command sent again: answer with what it created.
          doc = (await this.m.Info.collection.findOne({ _id: id } as never)) as unknown as InfoDoc;
        }
        this.changed("info", doc);
        return this.infoView(doc, me);
      },
    },

    "info.update": {
      rest: "PATCH /info/:id",
      params: {
        $$strict: true,
        id: ID,
        title: "string|min:1|max:200|trim|optional",
        body: "string|min:1|max:20000|trim|optional",
        category: { type: "enum", values: INFO_CATEGORIES, optional: true, nullable: true },
      },
      async handler(this: This, ctx: Ctx<InfoUpdateParams>): Promise<InfoReportView> {
        const me = await this.actor(ctx);
        const { id, ...changes } = ctx.params;
        const doc = await this.loadInfo(me, id);
        if (doc.authorStaffId !== me.staffId) throw new ForbiddenError("只有作者可以修改信息", "NOT_AUTHOR");
        const { after } = await this.writer.update(this.m.Info, id, (d) => {
          if (d.status !== "draft" && d.status !== "returned")
            throw new ConflictError("INVALID_STATE", "只有草稿或被退回的信息可以修改");
          const fields = (["title", "body", "category"] as const).filter(
            (k) => changes[k] !== undefined && (changes[k] ?? null) !== d[k],
          );
          if (!fields.length) return null;
          if (changes.title !== undefined) d.title = changes.title;
          if (changes.body !== undefined) d.body = changes.body;
          if (changes.category !== undefined) d.category = changes.category ?? null;
          const now = this.now();
          d.trail.push(authorEntry(me, now, "edit", d.status, d.status));
          d.version += 1;
          d.updatedAt = now;
          return d;
        });
        if (after) this.changed("info", after);
        return this.infoView(after ?? doc, me);
      },
    },

    "info.submit": {
      rest: "POST /info/:id/submit",
      params: { $$strict: true, id: ID, commandId: CMD },
      async handler(this: This, ctx: Ctx<InfoCommandParams>): Promise<InfoReportView> {
        return this.stepInfo(ctx, ctx.params.id, { action: "submit" }, ctx.params.commandId);
      },
    },

    "info.return": {
      rest: "POST /info/:id/return",
      params: { $$strict: true, id: ID, comment: COMMENT, commandId: CMD },
      async handler(this: This, ctx: Ctx<InfoCommandParams>): Promise<InfoReportView> {
        const step: InfoStep = { action: "return", comment: ctx.params.comment! };
        return this.stepInfo(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "info.forward": {
      rest: "POST /info/:id/forward",
      params: { $$strict: true, id: ID, comment: `${COMMENT}|optional`, commandId: CMD },
      async handler(this: This, ctx: Ctx<InfoCommandParams>): Promise<InfoReportView> {
        const step: InfoStep = { action: "forward", comment: ctx.params.comment ?? null };
        return this.stepInfo(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "info.adopt": {
      rest: "POST /info/:id/adopt",
      params: {
        $$strict: true,
        id: ID,
        level: { type: "enum", values: INFO_LEVELS },
        usedIn: "string|min:1|max:200|trim",
        comment: `${COMMENT}|optional`,
        commandId: CMD,
      },
      async handler(this: This, ctx: Ctx<InfoAdoptParams>): Promise<InfoReportView> {
        const { id, level, usedIn, comment, commandId } = ctx.params;
        return this.stepInfo(ctx, id, { action: "adopt", level, usedIn, comment: comment ?? null }, commandId);
      },
    },

    "info.revoke": {
      rest: "POST /info/:id/revoke",
      params: { $$strict: true, id: ID, comment: COMMENT, commandId: CMD },
      async handler(this: This, ctx: Ctx<InfoCommandParams>): Promise<InfoReportView> {
        const step: InfoStep = { action: "revoke", comment: ctx.params.comment! };
        return this.stepInfo(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "info.get": {
      rest: "GET /info/:id",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<InfoReportView> {
        const me = await this.actor(ctx);
        return this.infoView(await this.loadInfo(me, ctx.params.id), me);
      },
    },

    "info.list": {
      rest: "GET /info",
      params: {
        $$strict: true,
        box: BOX,
        year: OPTIONAL_YEAR,
        status: { type: "enum", values: INFO_STATUSES, optional: true },
        orgId: `${ID}|optional`,
        level: { type: "enum", values: INFO_LEVELS, optional: true },
        page: PAGE,
        limit: LIMIT,
      },
      async handler(this: This, ctx: Ctx<InfoListParams>): Promise<ListResult<InfoReportView>> {
        const me = await this.actor(ctx);
        const p = ctx.params;
        const box = p.box ?? "all";
        const rows = (await this.infoIndex.all())
          .filter(
            (r) =>
              (!p.year || r.year === p.year) &&
              (!p.status || r.status === p.status) &&
              (!p.orgId || r.orgId === p.orgId) &&
              (!p.level || r.level === p.level) &&
              (box !== "mine" || r.authorStaffId === me.staffId) &&
              (box !== "review" || (r.status === "submitted" && !!r.stage && reviewsStage(me, r.stage, r.orgId))) &&
              seesReport(me, r),
          )
          .sort(byUpdatedDesc);
        return this.page(rows, p, async (id) => {
          const d = await this.m.Info.findById(id).lean<InfoDoc>();
          return d && this.infoView(d, me);
        });
      },
    },

    // ---------- publicity (宣传) ----------
    "publicity.create": {
      rest: "POST /publicity",
      params: {
        $$strict: true,
        title: "string|min:1|max:200|trim",
        outlet: "string|min:1|max:100|trim",
        outletLevel: { type: "enum", values: OUTLET_LEVELS },
        publishedOn: "string|length:10",
        url: { type: "url", optional: true, nullable: true },
        summary: { type: "string", max: 2000, trim: true, optional: true, nullable: true },
        authorStaffId: `${ID}|optional`,
        commandId: CMD,
      },
      async handler(this: This, ctx: Ctx<PublicityCreateParams>): Promise<PublicityView> {
        const me = await this.author(ctx);
        const p = ctx.params;
        const now = this.now();
        if (!isIsoDate(p.publishedOn)) throw fieldError("publishedOn", "发表日期格式应为 YYYY-MM-DD");
        if (p.publishedOn > localDate(now)) throw fieldError("publishedOn", "发表日期不能晚于今天");
        const user = ctx.meta.user!;
        let author = { id: me.staffId, name: user.name, orgId: user.orgId, divisionId: user.divisionId ?? "" };
        if (p.authorStaffId && p.authorStaffId !== me.staffId) {
          const [row] = await this.directory({ ids: [p.authorStaffId] });
          if (!row || row.status !== "active") throw fieldError("authorStaffId", "作者不存在或已不在职");
          if (!isOfficeOf(me, row.orgId))
            throw new ForbiddenError("只有本单位办公室可以代他人登记宣传稿件", "NOT_OFFICE");
          author = { id: row.id, name: row.name, orgId: row.orgId, divisionId: row.divisionId };
        }
        const id = p.commandId ? commandDocId("pb", me.staffId, p.commandId) : randomId("pb");
        let doc: PublicityDoc = {
          _id: id,
          title: p.title,
          outlet: p.outlet,
          outletLevel: p.outletLevel,
          publishedOn: p.publishedOn,
          url: p.url ?? null,
          summary: p.summary || null,
          authorStaffId: author.id,
          authorName: author.name,
          orgId: author.orgId,
          divisionId: author.divisionId,
          year: Number(p.publishedOn.slice(0, 4)),
          status: "pending",
          points: null,
          verifiedAt: null,
          verifiedByName: null,
          lastComment: null,
          recordedByStaffId: me.staffId,
          recordedByName: me.name,
          version: 1,
          createdAt: now,
          updatedAt: now,
          trail: [authorEntry(me, now, "record", null, "pending", null, p.commandId ?? null)],
          fact: null,
          rev: 1,
        };
        try {
          await this.m.Publicity.collection.insertOne(doc as never);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          doc = (await this.m.Publicity.collection.findOne({ _id: id } as never)) as unknown as PublicityDoc;
        }
        this.changed("publicity", doc);
        return this.publicityView(doc, me);
      },
    },

    "publicity.update": {
      rest: "PATCH /publicity/:id",
      params: {
        $$strict: true,
        id: ID,
        title: "string|min:1|max:200|trim|optional",
        outlet: "string|min:1|max:100|trim|optional",
        outletLevel: { type: "enum", values: OUTLET_LEVELS, optional: true },
        publishedOn: "string|length:10|optional",
        url: { type: "url", optional: true, nullable: true },
        summary: { type: "string", max: 2000, trim: true, optional: true, nullable: true },
      },
      async handler(this: This, ctx: Ctx<PublicityUpdateParams>): Promise<PublicityView> {
        const me = await this.actor(ctx);
        const { id, ...changes } = ctx.params;
        if (changes.publishedOn !== undefined) {
          if (!isIsoDate(changes.publishedOn)) throw fieldError("publishedOn", "发表日期格式应为 YYYY-MM-DD");
          if (changes.publishedOn > localDate(this.now())) throw fieldError("publishedOn", "发表日期不能晚于今天");
        }
        const doc = await this.loadPublicity(me, id);
        const owner = !!me.staffId && (me.staffId === doc.authorStaffId || me.staffId === doc.recordedByStaffId);
        if (!owner && !isOfficeOf(me, doc.orgId))
          throw new ForbiddenError("只有作者、登记人或本单位办公室可以修改", "NOT_OWNER");
        const keys = ["title", "outlet", "outletLevel", "publishedOn", "url", "summary"] as const;
        const { after } = await this.writer.update(this.m.Publicity, id, (d) => {
          if (d.status === "verified") throw new ConflictError("INVALID_STATE", "已核实的稿件不能修改，请先撤销核实");
          const fields = keys.filter((k) => changes[k] !== undefined && (changes[k] || null) !== d[k]);
          if (!fields.length && d.status !== "rejected") return null;
          for (const k of fields) (d as unknown as Record<string, unknown>)[k] = changes[k] || null;
          d.year = Number(d.publishedOn.slice(0, 4));
          const now = this.now();
          d.trail.push(authorEntry(me, now, "edit", d.status, "pending"));
          d.status = "pending";
          d.version += 1;
          d.updatedAt = now;
          return d;
        });
        if (after) this.changed("publicity", after);
        return this.publicityView(after ?? doc, me);
      },
    },

    "publicity.verify": {
      rest: "POST /publicity/:id/verify",
      params: { $$strict: true, id: ID, comment: `${COMMENT}|optional`, commandId: CMD },
      async handler(this: This, ctx: Ctx<PublicityCommandParams>): Promise<PublicityView> {
        const step: PublicityStep = { action: "verify", comment: ctx.params.comment ?? null };
        return this.stepPublicity(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "publicity.reject": {
      rest: "POST /publicity/:id/reject",
      params: { $$strict: true, id: ID, comment: COMMENT, commandId: CMD },
      async handler(this: This, ctx: Ctx<PublicityCommandParams>): Promise<PublicityView> {
        const step: PublicityStep = { action: "reject", comment: ctx.params.comment! };
        return this.stepPublicity(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "publicity.revoke": {
      rest: "POST /publicity/:id/revoke",
      params: { $$strict: true, id: ID, comment: COMMENT, commandId: CMD },
      async handler(this: This, ctx: Ctx<PublicityCommandParams>): Promise<PublicityView> {
        const step: PublicityStep = { action: "revoke", comment: ctx.params.comment! };
        return this.stepPublicity(ctx, ctx.params.id, step, ctx.params.commandId);
      },
    },

    "publicity.get": {
      rest: "GET /publicity/:id",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<PublicityView> {
        const me = await this.actor(ctx);
        return this.publicityView(await this.loadPublicity(me, ctx.params.id), me);
      },
    },

    "publicity.list": {
      rest: "GET /publicity",
      params: {
        $$strict: true,
        box: BOX,
        year: OPTIONAL_YEAR,
        status: { type: "enum", values: PUBLICITY_STATUSES, optional: true },
        orgId: `${ID}|optional`,
        outletLevel: { type: "enum", values: OUTLET_LEVELS, optional: true },
        page: PAGE,
        limit: LIMIT,
      },
      async handler(this: This, ctx: Ctx<PublicityListParams>): Promise<ListResult<PublicityView>> {
        const me = await this.actor(ctx);
        const p = ctx.params;
        const box = p.box ?? "all";
        const rows = (await this.publicityIndex.all())
          .filter(
            (r) =>
              (!p.year || r.year === p.year) &&
              (!p.status || r.status === p.status) &&
              (!p.orgId || r.orgId === p.orgId) &&
              (!p.outletLevel || r.outletLevel === p.outletLevel) &&
              (box !== "mine" || r.authorStaffId === me.staffId) &&
              (box !== "review" || (r.status === "pending" && isOfficeOf(me, r.orgId))) &&
              seesPublicity(me, r),
          )
          .sort(byUpdatedDesc);
        return this.page(rows, p, async (id) => {
          const d = await this.m.Publicity.findById(id).lean<PublicityDoc>();
          return d && this.publicityView(d, me);
        });
      },
    },

    // ---------- indicator facts, for the assessment service's rebuild ----------
    "facts.list": {
      rest: "GET /facts",
      auth: { roles: ["hr_admin", "leader", "sys_admin"] },
      params: {
        $$strict: true,
        year: YEAR,
        kind: { type: "enum", values: ["information", "publicity"], optional: true },
        cursor: "string|max:80|optional",
        limit: { type: "number", integer: true, min: 1, max: 5000, convert: true, optional: true },
      },
      async handler(this: This, ctx: Ctx<FactsParams>): Promise<FactsResult> {
        const { year, kind, cursor, limit = 1000 } = ctx.params;
        const rows = [
          ...(kind !== "publicity" ? await this.infoIndex.all() : []),
          ...(kind !== "information" ? await this.publicityIndex.all() : []),
        ];
        const facts = rows
          .flatMap((r) => (r.fact && r.fact.date.startsWith(`${year}-`) ? [r.fact] : []))
          .filter((f) => !cursor || f.factId > cursor)
          .sort((a, b) => (a.factId < b.factId ? -1 : 1));
        const out = facts.slice(0, limit);
        return { facts: out, nextCursor: facts.length > limit ? out[out.length - 1].factId : null };
      },
    },

    // ---------- points per level (a setting) ----------
    "settings.get": {
      rest: "GET /settings",
      params: { $$strict: true },
      async handler(this: This): Promise<PointSettings> {
        return this.points();
      },
    },

    "settings.update": {
      rest: "PUT /settings",
      auth: { roles: ["hr_admin", "sys_admin"] },
      params: {
        $$strict: true,
        information: {
          type: "object",
          strict: true,
          optional: true,
          props: Object.fromEntries(INFO_LEVELS.map((l) => [l, POINT])),
        },
        publicity: {
          type: "object",
          strict: true,
          optional: true,
          props: Object.fromEntries(OUTLET_LEVELS.map((l) => [l, POINT])),
        },
      },
      async handler(this: This, ctx: Ctx<PointSettingsUpdate>): Promise<PointSettings> {
        const user = ctx.meta.user;
        if (user && !isCityWide(user)) throw new ForbiddenError("只有市局人教处或系统管理员可以修改分值");
        const current = await this.points();
        const value = {
          information: { ...current.information, ...(ctx.params.information ?? {}) },
          publicity: { ...current.publicity, ...(ctx.params.publicity ?? {}) },
        };
        await this.m.Setting.updateOne(
          { _id: "points" },
          { $set: { value, updatedAt: this.now(), updatedBy: user?.name ?? "系统" } },
          { upsert: true },
        );
        await audit(ctx, "notices.settings.update", "success", "settings:points", {
          information: INFO_LEVELS.map((l) => `${l}=${value.information[l]}`),
          publicity: OUTLET_LEVELS.map((l) => `${l}=${value.publicity[l]}`),
        });
        return this.points();
      },
    },

    // ---------- notices (通知公告) ----------
    publish: {
      rest: "POST /items",
      params: {
        $$strict: true,
        title: "string|min:1|max:200|trim",
        body: "string|min:1|max:20000|trim",
        scope: {
          type: "object",
          strict: true,
          props: {
            type: { type: "enum", values: NOTICE_SCOPES },
            id: { type: "string", max: 64, optional: true, nullable: true },
          },
        },
        commandId: CMD,
      },
      async handler(this: This, ctx: Ctx<NoticePublishParams>): Promise<NoticeView> {
        const me = await this.actor(ctx);
        const { title, body, commandId } = ctx.params;
        const { orgs, divisions } = await this.refs();
        const scope: NoticeScope = { type: ctx.params.scope.type, id: ctx.params.scope.id || null };
        let scopeOrgId = CITY_ORG_ID;
        let scopeLabel = "全局（市局及各县区）";
        if (scope.type === "bureau") {
          if (scope.id) throw fieldError("scope.id", "全局通知不需要指定范围");
        } else if (scope.type === "org") {
          const org = scope.id ? orgs.get(scope.id) : undefined;
          if (!org) throw fieldError("scope.id", "单位不存在");
          [scopeOrgId, scopeLabel] = [org.id, org.name];
        } else {
          const div = scope.id ? divisions.get(scope.id) : undefined;
          if (!div) throw fieldError("scope.id", "处室不存在");
          [scopeOrgId, scopeLabel] = [div.orgId, `${orgs.get(div.orgId)?.shortName ?? ""}·${div.name}`];
        }
        if (!mayPublishTo(me, scope, scopeOrgId)) throw new ForbiddenError("无权向该范围发布通知", "SCOPE_FORBIDDEN");
        const staff = await this.directory(scope.type === "bureau" ? {} : { orgId: scopeOrgId });
        const recipients = staff
          .filter((s) => s.status === "active" && (scope.type !== "division" || s.divisionId === scope.id))
          .map((s) => s.id);
        if (!recipients.length) throw fieldError("scope", "该范围内没有在职人员");
        const by = me.staffId ?? ctx.meta.user?.accountId ?? "system";
        const id = commandId ? commandDocId("nt", by, commandId) : randomId("nt");
        let doc: NoticeDoc = {
          _id: id,
          title,
          body,
          scope,
          scopeLabel,
          scopeOrgId,
          publisherStaffId: me.staffId,
          publisherName: me.name,
          publisherOrgId: ctx.meta.user?.orgId ?? CITY_ORG_ID,
          publishedAt: this.now(),
          recipients,
        };
        try {
          await this.m.Notice.collection.insertOne(doc as never);
          await audit(ctx, "notices.notice.publish", "success", `notice:${id}`, {
            scope: `${scope.type}:${scope.id ?? ""}`,
            recipients: recipients.length,
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          doc = (await this.m.Notice.collection.findOne({ _id: id } as never)) as unknown as NoticeDoc;
        }
        this.changed("notice", doc);
        await publish(
          this.broker,
          "notices.notice.published",
          {
            noticeId: doc._id,
            title: doc.title,
            scope: doc.scope,
            publisherStaffId: doc.publisherStaffId,
            publisherName: doc.publisherName,
            publishedAt: doc.publishedAt.toISOString(),
            recipientStaffIds: doc.recipients,
            link: NOTICE_LINKS.notice(doc._id),
          },
          `notice:${doc._id}`,
        );
        const [view] = await this.noticeViews([cachedNotice(doc)], me, null);
        return view;
      },
    },

    mine: {
      rest: "GET /mine",
      params: { $$strict: true, unreadOnly: "boolean|optional|convert", page: PAGE, limit: LIMIT },
      async handler(this: This, ctx: Ctx<NoticeListParams>): Promise<NoticeList> {
        const me = await this.actor(ctx);
        const [{ list }, reader] = await Promise.all([this.notices(), this.reader(me.staffId)]);
        const mine = me.staffId ? list.filter((n) => n.recipientSet.has(me.staffId!)) : [];
        const unreadRows = mine.filter((n) => !reader?.reads?.[n._id]);
        const result = page(ctx.params.unreadOnly ? unreadRows : mine, ctx.params);
        return { ...result, items: await this.noticeViews(result.items, me, reader), unread: unreadRows.length };
      },
    },

    sent: {
      rest: "GET /sent",
      params: { $$strict: true, orgId: `${ID}|optional`, page: PAGE, limit: LIMIT },
      async handler(this: This, ctx: Ctx<NoticeSentParams>): Promise<ListResult<NoticeView>> {
        const me = await this.actor(ctx);
        const [{ list }, reader] = await Promise.all([this.notices(), this.reader(me.staffId)]);
        const rows = list.filter(
          (n) => managesNotice(me, n) && (!ctx.params.orgId || n.scopeOrgId === ctx.params.orgId),
        );
        const result = page(rows, ctx.params);
        return { ...result, items: await this.noticeViews(result.items, me, reader) };
      },
    },

    get: {
      rest: "GET /items/:id",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<NoticeView> {
        const me = await this.actor(ctx);
        const notice = await this.loadNotice(me, ctx.params.id);
        const [view] = await this.noticeViews([notice], me, await this.reader(me.staffId));
        return view;
      },
    },

    read: {
      rest: "POST /items/:id/read",
      params: { $$strict: true, id: ID },
      async handler(
        this: This,
        ctx: Ctx<{ id: string }>,
      ): Promise<{ noticeId: string; readAt: string; unread: number }> {
        const me = await this.actor(ctx);
        const notice = await this.loadNotice(me, ctx.params.id);
        const staffId = me.staffId;
        if (!staffId || !notice.recipientSet.has(staffId))
          throw new ForbiddenError("你不在该通知的接收范围内", "NOT_RECIPIENT");
        const at = this.now();
        const mark = <D extends ReaderDoc | NoticeReadsDoc>(d: D, key: string): D | null => {
          if (d.reads?.[key]) return null;
          d.reads = { ...(d.reads ?? {}), [key]: at };
          return d;
        };
        const { before, after } = await this.writer.update<ReaderDoc>(
          this.m.Reader,
          staffId,
          (d) => mark(d, notice._id),
          () => ({ _id: staffId, reads: {}, rev: 0 }),
        );
        const readAt = (after ?? before)!.reads[notice._id];
        // Also when already read: a retry repairs a receipt the first attempt did not get to write.
        const receipts = await this.writer.update<NoticeReadsDoc>(
          this.m.NoticeReads,
          notice._id,
          (d) => mark(d, staffId),
          () => ({ _id: notice._id, reads: {}, rev: 0 }),
        );
        if (receipts.after)
          this.readCounts.set(notice._id, { count: Object.keys(receipts.after.reads).length, at: Date.now() });
        const reads = (after ?? before)!.reads;
        const { list } = await this.notices();
        const unread = list.filter((n) => n.recipientSet.has(staffId) && !reads[n._id]).length;
        return { noticeId: notice._id, readAt: iso(readAt)!, unread };
      },
    },

    receipts: {
      rest: "GET /items/:id/receipts",
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<NoticeReceipts> {
        const me = await this.actor(ctx);
        const notice = await this.loadNotice(me, ctx.params.id);
        if (!managesNotice(me, notice))
          throw new ForbiddenError("只有发布人和本单位办公室可以查看阅读情况", "NOT_MANAGER");
        const [reads, staff] = await Promise.all([
          this.m.NoticeReads.findById(notice._id).lean<NoticeReadsDoc>(),
          this.directory({ ids: notice.recipients }),
        ]);
        const names = new Map(staff.map((s) => [s.id, s]));
        const person = (id: string, readAt: Date | null): ReceiptPerson => {
          const s = names.get(id);
          return {
            staffId: id,
            name: s?.name ?? id,
            orgId: s?.orgId ?? "",
            divisionId: s?.divisionId ?? "",
            readAt: iso(readAt),
          };
        };
        const readMap = reads?.reads ?? {};
        const read = notice.recipients
          .filter((id) => readMap[id])
          .map((id) => person(id, readMap[id]))
          .sort((a, b) => (a.readAt! < b.readAt! ? -1 : a.readAt! > b.readAt! ? 1 : 0));
        const unread = notice.recipients.filter((id) => !readMap[id]).map((id) => person(id, null));
        return {
          noticeId: notice._id,
          recipientCount: notice.recipients.length,
          readCount: read.length,
          read,
          unread,
        };
      },
    },

    /** Rebuilds each notice's receipts from the readers' documents (after a crash between the two writes). */
    "reads.rebuild": {
      auth: { roles: ["sys_admin"] },
      params: { $$strict: true },
      async handler(this: This): Promise<{ notices: number; reads: number }> {
        const readers = await this.m.Reader.find().lean<ReaderDoc[]>();
        const byNotice = new Map<string, Record<string, Date>>();
        for (const r of readers)
          for (const [noticeId, at] of Object.entries(r.reads ?? {}))
            byNotice.set(noticeId, { ...(byNotice.get(noticeId) ?? {}), [r._id]: at });
        let reads = 0;
        for (const [noticeId, map] of byNotice) {
          reads += Object.keys(map).length;
          await this.writer.update(
            this.m.NoticeReads,
            noticeId,
            (d) => ({ ...d, reads: { ...(d.reads ?? {}), ...map } }),
            () => ({ _id: noticeId, reads: {}, rev: 0 }),
          );
        }
        this.readCounts.clear();
        return { notices: byNotice.size, reads };
      },
    },

    // ---------- demo data ----------
    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional" },
      async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<NoticesSeedResult> {
        const started = Date.now();
        const hasData = (await this.m.Info.countDocuments({}).limit(1)) > 0;
        if (hasData && !ctx.params.reset) return { seeded: false };
        await emptyModels(Object.values(this.m));
        this.refsCache = null;
        const meta = { meta: { system: true } };
        const [refs, directory, people] = await Promise.all([
          this.refs(),
          this.directory({}),
          this.broker.call<DemoPeople, object>("personnel.demo.people", {}, meta),
        ]);
        const demo = generateNoticesDemo({
          now: this.now(),
          orgs: [...refs.orgs.values()],
          divisions: [...refs.divisions.values()],
          staff: directory.filter((s) => s.status === "active"),
          people,
          points: DEFAULT_POINTS,
        });
        const insert = async (model: Model<never>, docs: object[]) => {
          for (let i = 0; i < docs.length; i += BATCH)
            await model.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
        };
        await insert(this.m.Info as never, demo.reports);
        await insert(this.m.Publicity as never, demo.publicity);
        await insert(this.m.Notice as never, demo.notices);
        await insert(this.m.Reader as never, demo.readers);
        await insert(this.m.NoticeReads as never, demo.noticeReads);
        const facts = [...demo.reports, ...demo.publicity].flatMap((d) => (d.fact ? [d.fact] : []));
        for (let i = 0; i < facts.length; i += 50)
          await Promise.all(facts.slice(i, i + 50).map((f) => this.publishFact(f)));
        this.changed("all");
        const result: NoticesSeedResult = {
          seeded: true,
          reports: demo.reports.length,
          adopted: demo.reports.filter((r) => r.status === "adopted").length,
          publicity: demo.publicity.length,
          verified: demo.publicity.filter((p) => p.status === "verified").length,
          notices: demo.notices.length,
          reads: demo.readers.reduce((s, r) => s + Object.keys(r.reads).length, 0),
          facts: facts.length,
          ms: Date.now() - started,
        };
        this.logger.info("Demo notices seeded", result);
        return result;
      },
    },
  },

  /** Events */
  events: {
    [CHANGED_EVENT](this: This, ctx: Context<Changed>) {
      const { kind, id } = ctx.params;
      // Our own writes are in our indexes already.
      if (ctx.nodeID === this.broker.nodeID) return;
      if (kind === "all") {
        [this.infoIndex, this.publicityIndex, this.noticeIndex].forEach((i) => i.clear());
        this.readCounts.clear();
      }
      if (!id) return;
      if (kind === "info") void this.infoIndex.refresh(id);
      if (kind === "publicity") void this.publicityIndex.refresh(id);
      if (kind === "notice") void this.noticeIndex.refresh(id);
    },
  },

  /** Methods */
  methods: {
    now(this: This): Date {
      return this.clock.now();
    },

    /** Keeps this process's indexes and caches current, and tells the other replicas. */
    changed(this: This, kind: Changed["kind"], doc?: InfoDoc | PublicityDoc | NoticeDoc): void {
      if (kind === "info") this.infoIndex.set(infoRow(doc as InfoDoc));
      if (kind === "publicity") this.publicityIndex.set(publicityRow(doc as PublicityDoc));
      if (kind === "notice") this.noticeIndex.set(cachedNotice(doc as NoticeDoc));
      if (kind === "all") {
        [this.infoIndex, this.publicityIndex, this.noticeIndex].forEach((i) => i.clear());
        this.readCounts.clear();
      }
      this.broker.broadcast(CHANGED_EVENT, { kind, id: doc?._id } satisfies Changed);
    },

    /** One page of index rows, as full views read by `_id`. */
    async page<T extends { _id: string }, D>(
      this: This,
      rows: T[],
      p: { page?: number; limit?: number },
      load: (id: string) => Promise<D | null>,
    ): Promise<ListResult<D>> {
      const result = page(rows, p);
      const items = await Promise.all(result.items.map((r) => load(r._id)));
      return { ...result, items: items.filter((d): d is Awaited<D> => d !== null) as D[] };
    },

    /** A notice's read count for lists, cached briefly (its receipts document holds every reader). */
    async readCount(this: This, noticeId: string): Promise<number> {
      const hit = this.readCounts.get(noticeId);
      if (hit && Date.now() - hit.at < READ_COUNT_TTL_MS) return hit.count;
      const doc = (await this.m.NoticeReads.collection.findOne({ _id: noticeId } as never)) as NoticeReadsDoc | null;
      const count = Object.keys(doc?.reads ?? {}).length;
      this.readCounts.set(noticeId, { count, at: Date.now() });
      return count;
    },

    /** Organisations and divisions from personnel, cached for a minute (they change rarely). */
    async refs(this: This): Promise<Refs> {
      this.refsCache = await orgRefs(this.broker, this.refsCache);
      return this.refsCache;
    },

    async actor(this: This, ctx: Ctx<unknown>): Promise<Actor> {
      const user = ctx.meta.user;
      if (!user) return SYSTEM_ACTOR;
      const division = user.divisionId ? (await this.refs()).divisions.get(user.divisionId) : undefined;
      const officeOf = division?.kind === "office" && division.orgId === user.orgId ? user.orgId : null;
      return { user, system: !!ctx.meta.system, staffId: user.staffId, name: user.name, officeOf };
    },

    async author(this: This, ctx: Ctx<unknown>): Promise<Actor & { staffId: string }> {
      const me = await this.actor(ctx);
      if (!me.staffId || !ctx.meta.user) throw new ForbiddenError("当前账号没有对应的干部档案", "NO_STAFF_RECORD");
      return me as Actor & { staffId: string };
    },

    async points(this: This): Promise<PointSettings> {
      const doc = await this.m.Setting.findById("points").lean<SettingDoc>();
      const value = (doc?.value ?? {}) as Partial<Points>;
      return {
        information: { ...DEFAULT_POINTS.information, ...(value.information ?? {}) },
        publicity: { ...DEFAULT_POINTS.publicity, ...(value.publicity ?? {}) },
        updatedAt: iso(doc?.updatedAt),
        updatedBy: doc?.updatedBy ?? null,
      };
    },

    /** A report the caller may see; any other is reported missing (ids reveal nothing). */
    async loadInfo(this: This, actor: Actor, id: string): Promise<InfoDoc> {
      const doc = await this.m.Info.findById(id).lean<InfoDoc>();
      if (!doc || !seesReport(actor, doc)) throw new NotFoundError("INFO_NOT_FOUND", "信息不存在");
      return doc;
    },

    async loadPublicity(this: This, actor: Actor, id: string): Promise<PublicityDoc> {
      const doc = await this.m.Publicity.findById(id).lean<PublicityDoc>();
      if (!doc || !seesPublicity(actor, doc)) throw new NotFoundError("PUBLICITY_NOT_FOUND", "宣传稿件不存在");
      return doc;
    },

    infoView(this: This, d: InfoDoc, actor: Actor): InfoReportView {
      return {
        id: d._id,
        title: d.title,
        body: d.body,
        category: d.category,
        status: d.status,
        stage: d.stage,
        authorStaffId: d.authorStaffId,
        authorName: d.authorName,
        orgId: d.orgId,
        divisionId: d.divisionId,
        year: d.year,
        submittedAt: iso(d.submittedAt),
        forwardedAt: iso(d.forwardedAt),
        adoption: d.adoption ? { ...d.adoption, adoptedAt: iso(d.adoption.adoptedAt)! } : null,
        lastComment: d.lastComment,
        version: d.version,
        createdAt: iso(d.createdAt)!,
        updatedAt: iso(d.updatedAt)!,
        trail: d.trail.map(trailView),
        allowed: infoAllowed(d, {
          author: !!actor.staffId && actor.staffId === d.authorStaffId,
          reviewsCounty: reviewsStage(actor, "county", d.orgId),
          reviewsCity: reviewsStage(actor, "city", d.orgId),
        }),
      };
    },

    publicityView(this: This, d: PublicityDoc, actor: Actor): PublicityView {
      return {
        id: d._id,
        title: d.title,
        outlet: d.outlet,
        outletLevel: d.outletLevel,
        publishedOn: d.publishedOn,
        url: d.url,
        summary: d.summary,
        authorStaffId: d.authorStaffId,
        authorName: d.authorName,
        orgId: d.orgId,
        divisionId: d.divisionId,
        year: d.year,
        status: d.status,
        points: d.points,
        verifiedAt: iso(d.verifiedAt),
        verifiedByName: d.verifiedByName,
        lastComment: d.lastComment,
        recordedByName: d.recordedByName,
        version: d.version,
        createdAt: iso(d.createdAt)!,
        updatedAt: iso(d.updatedAt)!,
        trail: d.trail.map(trailView),
        allowed: publicityAllowed(d, {
          owner: !!actor.staffId && (actor.staffId === d.authorStaffId || actor.staffId === d.recordedByStaffId),
          office: isOfficeOf(actor, d.orgId),
        }),
      };
    },

    /**
     * One step of a report's workflow: the caller must see the report and review the desk the step
     * belongs to (the author, for a submission). A re-sent command (same `commandId`) changes nothing
     * and re-sends its step's events.
     */
    async stepInfo(
      this: This,
      ctx: Ctx<unknown>,
      id: string,
      step: InfoStep,
      commandId: string | undefined,
    ): Promise<InfoReportView> {
      const me = await this.actor(ctx);
      const doc = await this.loadInfo(me, id);
      if (step.action === "submit") {
        if (doc.authorStaffId !== me.staffId) throw new ForbiddenError("只有作者可以报送信息", "NOT_AUTHOR");
      } else {
        const desk =
          step.action === "forward"
            ? "county"
            : step.action === "return"
              ? (doc.stage ?? firstStage(doc.orgId))
              : "city";
        if (!reviewsStage(me, desk, doc.orgId))
          throw new ForbiddenError(
            desk === "city" ? "只有市局办公室可以审核该信息" : "只有本县区办公室可以审核该信息",
            "NOT_REVIEWER",
          );
      }
      const points = await this.points();
      let replayed = -1;
      const { before, after } = await this.writer.update(this.m.Info, id, (cur) => {
        replayed = commandId ? cur.trail.findIndex((t) => t.commandId === commandId) : -1;
        if (replayed >= 0) return null;
        return applyInfoStep(cur, step, me, this.now(), points, commandId ?? null);
      });
      if (!before) throw new NotFoundError("INFO_NOT_FOUND", "信息不存在");
      const current = after ?? before;
      if (after) {
        this.changed("info", after);
        const t = after.trail[after.trail.length - 1];
        if (step.action !== "submit")
          await audit(ctx, `notices.info.${step.action}`, "success", `info:${id}`, {
            from: t.fromStatus,
            to: t.toStatus,
            level: t.level,
            points: t.points,
          });
        await this.emitStep("info", after, after.trail.length - 1);
      } else if (replayed >= 0) await this.emitStep("info", current, replayed);
      else if (current.fact) await this.publishFact(current.fact); // a repeat of the current adoption
      return this.infoView(current, me);
    },

    /** One verification step of a publicity item, by its organisation's office. */
    async stepPublicity(
      this: This,
      ctx: Ctx<unknown>,
      id: string,
      step: PublicityStep,
      commandId: string | undefined,
    ): Promise<PublicityView> {
      const me = await this.actor(ctx);
      const doc = await this.loadPublicity(me, id);
      if (!isOfficeOf(me, doc.orgId)) throw new ForbiddenError("只有本单位办公室可以核实宣传稿件", "NOT_REVIEWER");
      const points = await this.points();
      let replayed = -1;
      const { before, after } = await this.writer.update(this.m.Publicity, id, (cur) => {
        replayed = commandId ? cur.trail.findIndex((t) => t.commandId === commandId) : -1;
        if (replayed >= 0) return null;
        return applyPublicityStep(cur, step, me, this.now(), points, commandId ?? null);
      });
      if (!before) throw new NotFoundError("PUBLICITY_NOT_FOUND", "宣传稿件不存在");
      const current = after ?? before;
      if (after) {
        this.changed("publicity", after);
        const t = after.trail[after.trail.length - 1];
        await audit(ctx, `notices.publicity.${step.action}`, "success", `publicity:${id}`, {
          from: t.fromStatus,
          to: t.toStatus,
          points: t.points,
        });
        await this.emitStep("publicity", after, after.trail.length - 1);
      } else if (replayed >= 0) await this.emitStep("publicity", current, replayed);
      else if (current.fact) await this.publishFact(current.fact);
      return this.publicityView(current, me);
    },

    /** The durable events of one trail step: the fact it produced (if still current) and the author's notification. */
    async emitStep(this: This, kind: "info" | "publicity", doc: InfoDoc | PublicityDoc, index: number): Promise<void> {
      const t = doc.trail[index];
      if (t.factVersion !== null && doc.fact?.version === t.factVersion) await this.publishFact(doc.fact);
      const note =
        kind === "info" ? infoNotification(doc as InfoDoc, t) : publicityNotification(doc as PublicityDoc, t);
      if (note) await publish(this.broker, "notification.requested", note, notificationEventId(doc._id, index));
    },

    async publishFact(this: This, fact: IndicatorFact): Promise<void> {
      await publish(this.broker, "indicator.fact.recorded", fact, factEventId(fact));
    },

    /** Every notice, newest first, from the in-process index. */
    async notices(this: This) {
      const list = (await this.noticeIndex.all()).sort(
        (a, b) => +new Date(b.publishedAt) - +new Date(a.publishedAt) || (a._id < b._id ? -1 : 1),
      );
      return { list, byId: new Map(list.map((n) => [n._id, n])) };
    },

    /** A notice the caller receives or manages; any other is reported missing. */
    async loadNotice(this: This, actor: Actor, id: string): Promise<CachedNotice> {
      let notice = (await this.notices()).byId.get(id);
      if (!notice) {
        // Published on another replica a moment ago: read it once directly.
        const doc = await this.m.Notice.findById(id).lean<NoticeDoc>();
        if (doc) notice = cachedNotice(doc);
      }
      const visible =
        !!notice &&
        ((!!actor.staffId && notice.recipientSet.has(actor.staffId)) || managesNotice(actor, notice) || seesAll(actor));
      if (!visible) throw new NotFoundError("NOTICE_NOT_FOUND", "通知不存在");
      return notice!;
    },

    async noticeViews(
      this: This,
      notices: CachedNotice[],
      actor: Actor,
      reader: ReaderDoc | null,
    ): Promise<NoticeView[]> {
      const counts = await Promise.all(notices.map((n) => this.readCount(n._id)));
      return notices.map((n, i) => ({
        id: n._id,
        title: n.title,
        body: n.body,
        scope: n.scope,
        scopeLabel: n.scopeLabel,
        publisherStaffId: n.publisherStaffId,
        publisherName: n.publisherName,
        publisherOrgId: n.publisherOrgId,
        publishedAt: iso(n.publishedAt)!,
        recipientCount: n.recipients.length,
        readCount: counts[i],
        recipient: !!actor.staffId && n.recipientSet.has(actor.staffId),
        readAt: iso(reader?.reads?.[n._id]),
      }));
    },

    async reader(this: This, staffId: string | null): Promise<ReaderDoc | null> {
      if (!staffId) return null;
      return (await this.m.Reader.collection.findOne({ _id: staffId } as never)) as ReaderDoc | null;
    },

    /** Staff from personnel's directory; ids in chunks the directory accepts. */
    async directory(this: This, params: { orgId?: string; ids?: string[] }): Promise<DirectoryEntry[]> {
      const call = (p: object) =>
        this.broker.call<DirectoryEntry[], object>("personnel.staff.directory", p, { meta: { system: true } });
      if (!params.ids) return call(params);
      const chunks: string[][] = [];
      for (let i = 0; i < params.ids.length; i += 5000) chunks.push(params.ids.slice(i, i + 5000));
      return (await Promise.all(chunks.map((ids) => call({ ids })))).flat();
    },
  },

  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.writer = new DocWriter();
    this.readCounts = new Map();
    this.infoIndex = new ItemIndex(
      async () => (await this.m.Info.find({}, INFO_ROW).lean<InfoDoc[]>()).map((d) => infoRow(d)),
      async (id) => {
        const d = await this.m.Info.findById(id, INFO_ROW).lean<InfoDoc>();
        return d && infoRow(d);
      },
    );
    this.publicityIndex = new ItemIndex(
      async () => (await this.m.Publicity.find({}, PUBLICITY_ROW).lean<PublicityDoc[]>()).map(publicityRow),
      async (id) => {
        const d = await this.m.Publicity.findById(id, PUBLICITY_ROW).lean<PublicityDoc>();
        return d && publicityRow(d);
      },
    );
    this.refsCache = null;
    this.noticeIndex = new ItemIndex(
      async () => (await this.m.Notice.find().lean<NoticeDoc[]>()).map(cachedNotice),
      async (id) => {
        const d = await this.m.Notice.findById(id).lean<NoticeDoc>();
        return d && cachedNotice(d);
      },
    );
  },
};

export default NoticesService as unknown as ServiceSchema;
