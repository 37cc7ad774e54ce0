/** Reading: one log (counting the read), its history, drafts, the feed, search and month counts. */
import type { ServiceActionsSchema } from "moleculer";
import {
  LOG_KINDS,
  type FeedParams,
  type FeedResult,
  type LogVersionView,
  type LogView,
  type MonthCount,
  type SearchParams,
  type SearchResult,
} from "../../../shared/contracts/worklog";
import { fieldError } from "../../../shared/errors";
import { DATE, ID, isDuplicateKey } from "../../../shared/params";
import { decodeCursor, encodeCursor } from "../data/feed-order";
import type { IndexedLog } from "../data/log-index";
import type { VersionDoc } from "../data/models";
import { matchesNormalized, parseQuery } from "../search";
import type { Ctx, This } from "../types";
import { toView, versionView } from "../views";
import { checkRange } from "./range";

const FEED_FILTERS = {
  orgId: `${ID}|optional`,
  divisionId: `${ID}|optional`,
  authorId: `${ID}|optional`,
  from: `${DATE}|optional`,
  to: `${DATE}|optional`,
  tag: "string|optional|min:1|max:20",
  kind: { type: "enum", values: LOG_KINDS, optional: true },
};

export const readingActions: ServiceActionsSchema<This> = {
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
          log.readCount = await this.bumpCounter(log._id, "readCount", 1);
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
};
