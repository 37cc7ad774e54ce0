/** The sent messages and each organisation's day of them, for administrators. */
import type { Service } from "moleculer";
import { call } from "../../../shared/contracts/actions";
import {
  REMINDER_POLICIES,
  SMS_STATUSES,
  type DailySummaryRow,
  type SmsMessageView,
  type SmsSearchParams,
  type SmsSearchResult,
} from "../../../shared/contracts/reminders";
import { NotFoundError } from "../../../shared/errors";
import { DATE, ID } from "../../../shared/params";
import { may, rolesOf } from "../../../shared/permissions";
import type { MessageDoc } from "../data/models";
import { countDay } from "../rules";
import type { Ctx, This } from "../types";
import { toView } from "../views";

export const messageActions: Service.ServiceActionsSchema<This> = {
  "messages.search": {
    rest: "GET /messages",
    auth: rolesOf("reminders.read"),
    params: {
      $$strict: true,
      orgId: `${ID}|optional`,
      staffId: `${ID}|optional`,
      status: { type: "enum", values: SMS_STATUSES, optional: true },
      policy: { type: "enum", values: REMINDER_POLICIES, optional: true },
      date: `${DATE}|optional`,
      page: "number|optional|integer|min:1|max:10000|convert",
      limit: "number|optional|integer|min:1|max:200|convert",
    },
    async handler(this: This, ctx: Ctx<SmsSearchParams>): Promise<SmsSearchResult> {
      const p = ctx.params;
      const orgId = this.scopeOrg(ctx, p.orgId);
      const filter: Record<string, unknown> = {};
      if (orgId) filter.orgId = orgId;
      if (p.staffId) filter.recipientStaffId = p.staffId;
      if (p.status) filter.status = p.status;
      if (p.policy) filter.policy = p.policy;
      if (p.date) filter.date = p.date;
      const page = p.page ?? 1;
      const limit = p.limit ?? 50;
      const [docs, total] = await Promise.all([
        this.m.Message.find(filter)
          .sort({ createdAt: -1, _id: 1 })
          .skip((page - 1) * limit)
          .limit(limit)
          .lean<MessageDoc[]>(),
        this.m.Message.countDocuments(filter),
      ]);
      return { items: docs.map(toView), total, page, limit };
    },
  },

  "messages.get": {
    rest: "GET /messages/:id",
    auth: rolesOf("reminders.read"),
    params: { $$strict: true, id: "string|min:1|max:300" },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<SmsMessageView> {
      const doc = await this.m.Message.findById(ctx.params.id).lean<MessageDoc>();
      if (!doc || !may(ctx.meta.user!, "reminders.read", { orgId: doc.orgId }))
        throw new NotFoundError("SMS_NOT_FOUND", "未找到该短信");
      return toView(doc);
    },
  },

  "summary.daily": {
    rest: "GET /summary",
    auth: rolesOf("reminders.read"),
    params: { $$strict: true, date: DATE, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ date: string; orgId?: string }>): Promise<DailySummaryRow[]> {
      const orgId = this.scopeOrg(ctx, ctx.params.orgId);
      const orgIds = orgId
        ? [orgId]
        : (await call(ctx, "personnel.orgs.list", {}, { meta: { system: true } })).map((o) => o.id);
      // One _id lookup per organisation: no scan of the counters.
      const docs = await Promise.all(orgIds.map((id) => this.m.Daily.findById(`${id}|${ctx.params.date}`).lean()));
      return orgIds.map((id, i) => ({ orgId: id, date: ctx.params.date, ...countDay(docs[i]?.msgs ?? {}) }));
    },
  },
};
