/** Notices (通知公告): publishing to a scope, the received and sent lists, read receipts. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import { CITY_ORG_ID } from "../../../shared/auth";
import {
  NOTICE_LINKS,
  NOTICE_SCOPES,
  type ListResult,
  type NoticeList,
  type NoticeListParams,
  type NoticePublishParams,
  type NoticeReceipts,
  type NoticeScope,
  type NoticeSentParams,
  type NoticeView,
  type ReceiptPerson,
} from "../../../shared/contracts/notices";
import { ForbiddenError, fieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { commandDocId, page, randomId } from "../../../shared/item-store";
import { ID, isDuplicateKey } from "../../../shared/params";
import { rolesOf } from "../../../shared/permissions";
import { managesNotice, mayPublishTo } from "../access";
import type { NoticeDoc, NoticeReadsDoc, ReaderDoc } from "../data/models";
import { cachedNotice } from "../data/store";
import type { Ctx, This } from "../types";
import { iso } from "../views";

const CMD = "string|min:1|max:64|optional";
const PAGE = { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true };
const LIMIT = { type: "number", integer: true, min: 1, max: 200, convert: true, optional: true };

export const noticeActions: Service.ServiceActionsSchema<This> = {
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
      const rows = list.filter((n) => managesNotice(me, n) && (!ctx.params.orgId || n.scopeOrgId === ctx.params.orgId));
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
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ noticeId: string; readAt: string; unread: number }> {
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
    auth: rolesOf("notices.rebuildReads"),
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
};
