/** Publicity (宣传): recording an article, its office's verification, and the lists. */
import type { Service } from "moleculer";
import {
  OUTLET_LEVELS,
  PUBLICITY_STATUSES,
  type PublicityCommandParams,
  type PublicityCreateParams,
  type PublicityListParams,
  type PublicityUpdateParams,
  type PublicityView,
} from "../../../shared/contracts/info";
import type { ListResult } from "../../../shared/contracts/notices";
import { ConflictError, ForbiddenError, fieldError } from "../../../shared/errors";
import { commandDocId, randomId } from "../../../shared/item-store";
import { isOfficeOf } from "../../../shared/office";
import { ID, isDuplicateKey } from "../../../shared/params";
import { isIsoDate, localDate } from "../../../shared/time";
import { seesPublicity } from "../access";
import type { PublicityDoc } from "../data/models";
import { byUpdatedDesc } from "../data/store";
import { BOX, CMD, COMMENT, LIMIT, OPTIONAL_YEAR, PAGE } from "../params";
import type { Ctx, This } from "../types";
import { authorEntry, type PublicityStep } from "../workflow";

export const publicityActions: Service.ServiceActionsSchema<This> = {
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
};
