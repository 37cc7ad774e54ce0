/** Information reports (信息报送): drafting, the county and city desks, adoption, and the lists. */
import type { Service } from "moleculer";
import {
  DEFAULT_POINTS,
  INFO_CATEGORIES,
  INFO_LEVELS,
  INFO_STATUSES,
  type InfoAdoptParams,
  type InfoCommandParams,
  type InfoCreateParams,
  type InfoListParams,
  type InfoReportView,
  type InfoUpdateParams,
} from "../../../shared/contracts/info";
import type { ListResult } from "../../../shared/contracts/notices";
import { ConflictError, ForbiddenError } from "../../../shared/errors";
import { commandDocId, randomId } from "../../../shared/item-store";
import { ID, isDuplicateKey } from "../../../shared/params";
import { localDate } from "../../../shared/time";
import { reviewsStage, seesReport } from "../access";
import type { InfoDoc } from "../data/models";
import { byUpdatedDesc } from "../data/store";
import { BOX, CMD, COMMENT, LIMIT, OPTIONAL_YEAR, PAGE } from "../params";
import type { Ctx, This } from "../types";
import { applyInfoStep, authorEntry, type InfoStep } from "../workflow";

export const reportActions: Service.ServiceActionsSchema<This> = {
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
};
