/** Interaction: comments with @mentions, and "useful" (借鉴) marks with the week's most useful logs. */
import type { ServiceActionsSchema } from "moleculer";
import { isoWeek } from "../../../shared/calendar";
import type { CommentView, UsefulTopItem } from "../../../shared/contracts/worklog";
import { ConflictError, ForbiddenError, fieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { DATE, ID, isDuplicateKey } from "../../../shared/params";
import { isIsoDate, localDate } from "../../../shared/time";
import { newId } from "../data/logs";
import type { CommentDoc, LogDoc } from "../data/models";
import type { Ctx, This } from "../types";
import { commentView, toView } from "../views";

export const interactionActions: ServiceActionsSchema<This> = {
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
      await this.bumpCounter(log._id, "commentCount", 1);
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
          excerpt: doc.body.slice(0, 140),
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
      const docs = await this.m.Comment.find({ logId: log._id }).sort({ createdAt: 1 }).limit(500).lean<CommentDoc[]>();
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
      let usefulCount: number;
      if (changed) {
        const delta = ctx.params.useful ? 1 : -1;
        usefulCount = await this.bumpCounter(log._id, "usefulCount", delta);
        await this.logChanged(log._id, (index) => index.bump(log._id, "usefulCount", delta));
      } else {
        const fresh = await this.m.Log.findById(log._id, { usefulCount: 1 }).lean<LogDoc>();
        usefulCount = fresh?.usefulCount ?? 0;
      }
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
};
