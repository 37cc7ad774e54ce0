/** Staff records: search, statistics, one person with their A/B partners, create, update, directory. */
import type { ServiceActionsSchema } from "moleculer";
import {
  EDUCATION_LEVELS,
  GENDERS,
  POLITICAL_STATUSES,
  STAFF_STATUSES,
  type DirectoryEntry,
  type StaffDetail,
  type StaffListResult,
  type StaffStats,
  type StaffView,
} from "../../../shared/contracts/personnel";
import { audit } from "../../../shared/audit";
import { ValidationError, fieldError, type FieldError } from "../../../shared/errors";
import { DATE, ID } from "../../../shared/params";
import { AGE_BANDS } from "../../../shared/time";
import { rolesOf } from "../../../shared/permissions";
import { yearsBefore } from "../calendar";
import type { Ctx, PostDoc, StaffDoc, This } from "../personnel.types";
import { nameKeys, nameQuery } from "../search";
import { checkStaffFields, normalizePhone, staffView } from "../staff-rules";
import { staffStats } from "../stats";

const PAGE_LIMIT_MAX = 200;

const staffFieldParams = {
  name: "string|min:2|max:10|trim",
  gender: { type: "enum", values: GENDERS },
  birthDate: DATE,
  education: { type: "enum", values: EDUCATION_LEVELS },
  politicalStatus: { type: "enum", values: POLITICAL_STATUSES },
  title: "string|min:1|max:30|trim",
  divisionId: ID,
  phone: { type: "string", max: 20, optional: true, nullable: true },
  hireDate: DATE,
  status: { type: "enum", values: STAFF_STATUSES, optional: true },
};
const optionalize = <T extends Record<string, unknown>>(o: T): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      typeof v === "string" ? (v.includes("optional") ? v : `${v}|optional`) : { ...(v as object), optional: true },
    ]),
  );

export const staffActions: ServiceActionsSchema<This> = {
  "staff.list": {
    rest: "GET /staff",
    params: {
      $$strict: true,
      q: "string|max:40|optional",
      orgId: `${ID}|optional`,
      divisionId: `${ID}|optional`,
      postId: `${ID}|optional`,
      ageBand: { type: "enum", values: AGE_BANDS, optional: true },
      education: { type: "enum", values: EDUCATION_LEVELS, optional: true },
      status: { type: "enum", values: STAFF_STATUSES, optional: true },
      page: { type: "number", integer: true, min: 1, max: 100000, optional: true, convert: true },
      limit: { type: "number", integer: true, min: 1, max: PAGE_LIMIT_MAX, optional: true, convert: true },
    },
    async handler(
      this: This,
      ctx: Ctx<{
        q?: string;
        orgId?: string;
        divisionId?: string;
        postId?: string;
        ageBand?: (typeof AGE_BANDS)[number];
        education?: string;
        status?: string;
        page?: number;
        limit?: number;
      }>,
    ): Promise<StaffListResult> {
      const p = ctx.params;
      const today = this.today();
      const and: Record<string, unknown>[] = [];
      if (p.q) {
        const q = nameQuery(p.q);
        if (q) and.push(q);
      }
      for (const key of ["orgId", "divisionId", "postId", "education", "status"] as const)
        if (p[key]) and.push({ [key]: p[key] });
      if (p.ageBand) {
        // age ≥ lo ⇔ born on or before today−lo years; age ≤ hi ⇔ born after today−(hi+1) years.
        const [lo, hi] = { "35岁及以下": [0, 35], "36-45岁": [36, 45], "46-55岁": [46, 55], "56岁及以上": [56, 200] }[
          p.ageBand
        ];
        and.push({ birthDate: { $lte: yearsBefore(today, lo), $gt: yearsBefore(today, hi + 1) } });
      }
      const filter = and.length ? { $and: and } : {};
      const limit = p.limit ?? 50;
      const page = p.page ?? 1;
      const [docs, total] = await Promise.all([
        this.m.Staff.find(filter)
          .sort({ _id: 1 })
          .skip((page - 1) * limit)
          .limit(limit)
          .lean<StaffDoc[]>(),
        this.m.Staff.countDocuments(filter),
      ]);
      return { rows: docs.map((d) => staffView(d, today, this.seesPersonal(ctx, d.orgId))), total, page, limit };
    },
  },

  "staff.stats": {
    rest: "GET /stats/staff",
    params: { $$strict: true, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<StaffStats> {
      const filter: Record<string, unknown> = { status: "active" };
      if (ctx.params.orgId) filter.orgId = ctx.params.orgId;
      const rows = await this.m.Staff.find(filter, { orgId: 1, divisionId: 1, education: 1, birthDate: 1 }).lean<
        StaffDoc[]
      >();
      return staffStats(rows, this.today());
    },
  },

  "staff.get": {
    rest: "GET /staff/:id",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<StaffDetail> {
      const doc = await this.getStaff(ctx.params.id);
      const [own, backing] = await Promise.all([
        doc.postId ? this.m.Post.findById(doc.postId).lean<PostDoc>() : null,
        this.m.Post.find({ bHolderId: doc._id }).lean<PostDoc[]>(),
      ]);
      const otherIds = [own?.bHolderId, ...backing.map((p) => p.aHolderId)].filter((x): x is string => !!x);
      const others = await this.m.Staff.find({ _id: { $in: otherIds } }, { name: 1 }).lean<StaffDoc[]>();
      const names = new Map(others.map((s) => [s._id, s.name]));
      const person = (id: string | null) =>
        id && names.has(id) ? { staffId: id, name: names.get(id) as string } : null;
      return {
        ...staffView(doc, this.today(), this.seesPersonal(ctx, doc.orgId)),
        backedUpBy: own ? { postId: own._id, postTitle: own.title, person: person(own.bHolderId) } : null,
        backsUp: backing.map((p) => ({ postId: p._id, postTitle: p.title, person: person(p.aHolderId) })),
      };
    },
  },

  "staff.create": {
    rest: "POST /staff",
    auth: rolesOf("staff.administer"),
    params: {
      $$strict: true,
      orgId: ID,
      ...staffFieldParams,
      postId: { type: "string", max: 64, optional: true, nullable: true },
    },
    async handler(
      this: This,
      ctx: Ctx<{
        orgId: string;
        name: string;
        gender: StaffDoc["gender"];
        birthDate: string;
        education: StaffDoc["education"];
        politicalStatus: StaffDoc["politicalStatus"];
        title: string;
        divisionId: string;
        phone?: string | null;
        hireDate: string;
        status?: StaffDoc["status"];
        postId?: string | null;
      }>,
    ): Promise<StaffView> {
      const p = ctx.params;
      if (!this.orgs.has(p.orgId)) throw fieldError("orgId", "单位不存在");
      this.requireAdmin(ctx, p.orgId);
      const errors: FieldError[] = checkStaffFields(p, this.today());
      const division = this.divisions.get(p.divisionId);
      if (!division || division.orgId !== p.orgId) errors.push({ field: "divisionId", message: "处室不属于该单位" });
      let post: PostDoc | null = null;
      if (p.postId) {
        post = await this.m.Post.findById(p.postId).lean<PostDoc>();
        if (!post || post.divisionId !== p.divisionId) errors.push({ field: "postId", message: "岗位不属于该处室" });
      }
      if (errors.length) throw new ValidationError("人员信息有误", errors);
      const doc: StaffDoc = {
        _id: await this.nextStaffId(),
        name: p.name,
        ...nameKeys(p.name),
        gender: p.gender,
        birthDate: p.birthDate,
        education: p.education,
        politicalStatus: p.politicalStatus,
        title: p.title,
        orgId: p.orgId,
        divisionId: p.divisionId,
        postId: null,
        phone: p.phone ? normalizePhone(p.phone) : null,
        hireDate: p.hireDate,
        status: p.status ?? "active",
        version: 1,
      };
      await this.m.Staff.create(doc);
      await audit(ctx, "personnel.staff.create", "success", `staff:${doc._id}`, { fields: Object.keys(p) });
      await this.staffChanged(ctx, doc);
      if (post) await this.setAHolder(ctx, post, doc._id);
      const saved = await this.getStaff(doc._id);
      return staffView(saved, this.today(), true);
    },
  },

  "staff.update": {
    rest: "PATCH /staff/:id",
    auth: rolesOf("staff.administer"),
    params: {
      $$strict: true,
      id: ID,
      orgId: `${ID}|optional`,
      ...optionalize(staffFieldParams),
      postId: { type: "string", max: 64, optional: true, nullable: true },
    },
    async handler(
      this: This,
      ctx: Ctx<Partial<Omit<StaffDoc, "_id" | "version" | "namePinyin" | "nameInitials">> & { id: string }>,
    ): Promise<StaffView> {
      const { id, postId, ...changes } = ctx.params;
      const doc = await this.getStaff(id);
      this.requireAdmin(ctx, doc.orgId);
      const orgId = changes.orgId ?? doc.orgId;
      if (changes.orgId !== undefined) {
        if (!this.orgs.has(orgId)) throw fieldError("orgId", "单位不存在");
        this.requireAdmin(ctx, orgId);
      }
      // Dates are checked against each other, so a change to one is checked with the stored other.
      const dates =
        changes.birthDate || changes.hireDate
          ? { birthDate: changes.birthDate ?? doc.birthDate, hireDate: changes.hireDate ?? doc.hireDate }
          : {};
      const errors = checkStaffFields({ ...changes, ...dates }, this.today());
      const divisionId = changes.divisionId ?? doc.divisionId;
      const division = this.divisions.get(divisionId);
      if (!division || division.orgId !== orgId) errors.push({ field: "divisionId", message: "处室不属于该单位" });
      let post: PostDoc | null = null;
      if (postId) {
        post = await this.m.Post.findById(postId).lean<PostDoc>();
        if (!post || post.divisionId !== divisionId) errors.push({ field: "postId", message: "岗位不属于该处室" });
      }
      if (errors.length) throw new ValidationError("人员信息有误", errors);

      const set: Partial<StaffDoc> = {};
      for (const [k, v] of Object.entries(changes) as [keyof StaffDoc, unknown][]) {
        const value = k === "phone" ? (v ? normalizePhone(v as string) : null) : v;
        if (doc[k] !== value) (set as Record<string, unknown>)[k] = value;
      }
      if (set.name) Object.assign(set, nameKeys(set.name));
      const fields = Object.keys(set).filter((k) => k !== "namePinyin" && k !== "nameInitials");
      const postChanges = postId !== undefined && postId !== doc.postId;
      if (fields.length) {
        await this.m.Staff.updateOne({ _id: id }, { $set: set, $inc: { version: 1 } });
        await audit(ctx, "personnel.staff.update", "success", `staff:${id}`, { fields });
        await this.staffChanged(ctx, await this.getStaff(id));
      }
      if (postChanges) {
        if (post) await this.setAHolder(ctx, post, id);
        else if (doc.postId) {
          const old = await this.m.Post.findById(doc.postId).lean<PostDoc>();
          if (old) await this.setAHolder(ctx, old, null);
        }
        if (!fields.length)
          await audit(ctx, "personnel.staff.update", "success", `staff:${id}`, { fields: ["postId"] });
      }
      return staffView(await this.getStaff(id), this.today(), true);
    },
  },

  "staff.directory": {
    auth: "internal",
    params: {
      $$strict: true,
      orgId: `${ID}|optional`,
      ids: { type: "array", items: ID, max: 5000, optional: true },
    },
    async handler(this: This, ctx: Ctx<{ orgId?: string; ids?: string[] }>): Promise<DirectoryEntry[]> {
      const filter: Record<string, unknown> = {};
      if (ctx.params.orgId) filter.orgId = ctx.params.orgId;
      if (ctx.params.ids) filter._id = { $in: ctx.params.ids };
      const [staff, heads] = await Promise.all([
        this.m.Staff.find(filter).sort({ _id: 1 }).lean<StaffDoc[]>(),
        this.m.Post.find(ctx.params.orgId ? { orgId: ctx.params.orgId, isHead: true } : { isHead: true }, {
          aHolderId: 1,
        }).lean<PostDoc[]>(),
      ]);
      const headIds = new Set(heads.map((p) => p.aHolderId));
      return staff.map((s) => ({
        id: s._id,
        name: s.name,
        orgId: s.orgId,
        divisionId: s.divisionId,
        postId: s.postId ?? null,
        phone: s.phone ?? null,
        status: s.status,
        isDivisionHead: headIds.has(s._id),
      }));
    },
  },
};
