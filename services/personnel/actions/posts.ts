/** Posts (AB岗): each post's A holder and B (backup) holder, and who is covered today. */
import { randomBytes } from "node:crypto";
import type { ServiceActionsSchema } from "moleculer";
import type { CoverageResult, CoverageRow, Post } from "../../../shared/contracts/personnel";
import { audit } from "../../../shared/audit";
import { NotFoundError, fieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { rolesOf } from "../../../shared/permissions";
import type { Ctx, PostDoc, PostFields, StaffDoc, This } from "../personnel.types";
import { isAway } from "../stats";
import { toPost } from "../views";

/** The editable fields of a post (`posts.create` makes the title required). */
const POST_FIELDS = {
  title: "string|min:1|max:40|trim|optional",
  responsibilities: "string|max:2000|optional",
  aHolderId: { type: "string", max: 64, optional: true, nullable: true },
  bHolderId: { type: "string", max: 64, optional: true, nullable: true },
};

export const postActions: ServiceActionsSchema<This> = {
  "posts.list": {
    rest: "GET /posts",
    params: { $$strict: true, orgId: `${ID}|optional`, divisionId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string; divisionId?: string }>): Promise<Post[]> {
      const { orgId, divisionId } = ctx.params;
      if (!orgId && !divisionId) throw fieldError("orgId", "请指定单位或处室");
      const filter: Record<string, string> = {};
      if (orgId) filter.orgId = orgId;
      if (divisionId) filter.divisionId = divisionId;
      const posts = await this.m.Post.find(filter).sort({ divisionId: 1, order: 1 }).lean<PostDoc[]>();
      return posts.map(toPost);
    },
  },

  "posts.create": {
    rest: "POST /posts",
    auth: rolesOf("staff.administer"),
    params: { $$strict: true, divisionId: ID, ...POST_FIELDS, title: "string|min:1|max:40|trim" },
    async handler(this: This, ctx: Ctx<PostFields & { divisionId: string; title: string }>): Promise<Post> {
      const p = ctx.params;
      const division = this.getDivision(p.divisionId);
      this.requireAdmin(ctx, division.orgId);
      await this.checkHolders(p, division.orgId);
      if (p.aHolderId && p.aHolderId === p.bHolderId) throw fieldError("bHolderId", "A岗与B岗不能是同一人");
      const count = await this.m.Post.countDocuments({ divisionId: division.id });
      const doc: PostDoc = {
        _id: `p-${division.id}-${randomBytes(4).toString("hex")}`,
        orgId: division.orgId,
        divisionId: division.id,
        title: p.title,
        responsibilities: p.responsibilities ?? "",
        isHead: false,
        aHolderId: null,
        bHolderId: p.bHolderId ?? null,
        order: count,
      };
      await this.m.Post.create(doc);
      if (p.aHolderId) await this.setAHolder(ctx, doc, p.aHolderId);
      // A/B partners show on people's pages: the B holder's changed too.
      if (doc.bHolderId) await this.staffChanged(ctx, await this.getStaff(doc.bHolderId));
      await audit(ctx, "personnel.post.create", "success", `post:${doc._id}`, { fields: Object.keys(p) });
      return toPost((await this.m.Post.findById(doc._id).lean<PostDoc>()) as PostDoc);
    },
  },

  "posts.update": {
    rest: "PATCH /posts/:id",
    auth: rolesOf("staff.administer"),
    params: { $$strict: true, id: ID, ...POST_FIELDS },
    async handler(this: This, ctx: Ctx<PostFields & { id: string }>): Promise<Post> {
      const p = ctx.params;
      const post = await this.m.Post.findById(p.id).lean<PostDoc>();
      if (!post) throw new NotFoundError("POST_NOT_FOUND", "岗位不存在");
      this.requireAdmin(ctx, post.orgId);
      await this.checkHolders(p, post.orgId);
      const nextA = p.aHolderId !== undefined ? p.aHolderId : post.aHolderId;
      const nextB = p.bHolderId !== undefined ? p.bHolderId : post.bHolderId;
      if (nextA && nextA === nextB) throw fieldError("bHolderId", "A岗与B岗不能是同一人");
      const set: Partial<PostDoc> = {};
      if (p.title !== undefined) set.title = p.title;
      if (p.responsibilities !== undefined) set.responsibilities = p.responsibilities;
      if (p.bHolderId !== undefined) set.bHolderId = p.bHolderId;
      if (Object.keys(set).length) await this.m.Post.updateOne({ _id: post._id }, { $set: set });
      if (p.aHolderId !== undefined && p.aHolderId !== post.aHolderId) await this.setAHolder(ctx, post, p.aHolderId);
      if (p.bHolderId !== undefined && p.bHolderId !== post.bHolderId)
        for (const id of [post.bHolderId, p.bHolderId]) if (id) await this.staffChanged(ctx, await this.getStaff(id));
      const fields = Object.keys(p).filter((k) => k !== "id");
      await audit(ctx, "personnel.post.update", "success", `post:${post._id}`, { fields });
      return toPost((await this.m.Post.findById(post._id).lean<PostDoc>()) as PostDoc);
    },
  },

  "posts.coverage": {
    rest: "GET /posts/coverage",
    auth: rolesOf("staff.administer"),
    params: { $$strict: true, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<CoverageResult> {
      const orgIds = this.scopeOrgs(ctx, ctx.params.orgId);
      const date = this.today();
      const filter = orgIds ? { orgId: { $in: orgIds } } : {};
      const [posts, staff, statuses] = await Promise.all([
        this.m.Post.find(filter).sort({ divisionId: 1, order: 1 }).lean<PostDoc[]>(),
        this.m.Staff.find(filter, { name: 1 }).lean<Pick<StaffDoc, "_id" | "name">[]>(),
        this.statusesOn(date, orgIds),
      ]);
      const names = new Map(staff.map((s) => [s._id, s.name]));
      const ref = (id: string | null) => (id ? { staffId: id, name: names.get(id) ?? "" } : null);
      const row = (p: PostDoc): CoverageRow => ({
        post: toPost(p),
        aHolder: ref(p.aHolderId),
        bHolder: ref(p.bHolderId),
        aStatus: (p.aHolderId && statuses.get(p.aHolderId)) || null,
        bStatus: (p.bHolderId && statuses.get(p.bHolderId)) || null,
      });
      const rows = posts.map(row);
      return {
        date,
        noBackup: rows.filter((r) => !r.post.bHolderId),
        bothAbsent: rows.filter((r) => r.post.aHolderId && r.post.bHolderId && isAway(r.aStatus) && isAway(r.bStatus)),
      };
    },
  },
};
