/**
 * Personnel: organisations, divisions, posts (A/B), staff records, attendance, Excel import/export
 * and the demo data. Owns the `<namespace>_personnel` database.
 */
import { DATE, ID } from "../../shared/params";
import { randomBytes } from "node:crypto";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import {
  type AuthUser,
  type CallMeta,
  type Role,
  canAdministerOrg,
  canEnterAttendance,
  isCityWide,
  seesPersonalFields,
} from "../../shared/auth";
import { audit } from "../../shared/audit";
import { systemClock, type Clock } from "../../shared/clock";
import {
  ATTENDANCE_STATUSES,
  EDUCATION_LEVELS,
  GENDERS,
  POLITICAL_STATUSES,
  STAFF_STATUSES,
  type AttendanceMonthResult,
  type AttendanceStatus,
  type CoverageResult,
  type CoverageRow,
  type DemoPeople,
  type DirectoryEntry,
  type Division,
  type Org,
  type OrgWithDivisions,
  type Post,
  type SeedResult,
  type StaffDetail,
  type StaffListResult,
  type StaffStats,
  type StaffMonthDays,
  type StaffView,
} from "../../shared/contracts/personnel";
import { dbMixin, emptyModels, type DbVars } from "../../shared/db";
import { ForbiddenError, NotFoundError, ValidationError, fieldError, type FieldError } from "../../shared/errors";
import { publish } from "../../shared/events";
import { AGE_BANDS, isIsoDate, localDate } from "../../shared/time";
import { splitDate, workingDaysOfMonth, yearsBefore } from "./calendar";
import { generateAttendance, generateDemo, staffId as formatStaffId } from "./demo-data";
import { XLSX_MIME, contentDisposition } from "../../shared/report-table";
import { attendanceWorkbook, staffWorkbook, validateAttendanceRows, validateStaffRows } from "./excel";
import { decodeUpload, importError, readSheet } from "../../shared/xlsx";
import { attendanceModel, registerModels, type Models } from "./personnel.model";
import type { Model } from "mongoose";
import type { AttendanceDoc, DivisionDoc, OrgDoc, PostDoc, StaffDoc } from "./personnel.types";
import { DIVISIONS, ORGS } from "./orgs";
import { nameKeys, nameQuery } from "./search";
import { checkStaffFields, normalizePhone, staffView } from "./staff-rules";
import { addCounts, countDays, emptyCounts, isAway, staffStats } from "./stats";

interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

type Meta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };
type Ctx<P = Record<string, never>> = Context<P, Meta>;

interface Vars {
  m: Models;
  clock: Clock;
  orgs: Map<string, Org>;
  divisions: Map<string, Division>;
  /** Month collections whose indexes exist already. */
  attendanceReady: Set<string>;
}

interface Methods {
  today(): string;
  loadRefs(): Promise<void>;
  ensureOrgs(): Promise<void>;
  mayAdminister(ctx: Ctx<unknown>, orgId: string): boolean;
  requireAdmin(ctx: Ctx<unknown>, orgId: string): void;
  checkHolders(p: PostFields, orgId: string): Promise<void>;
  seesPersonal(ctx: Ctx<unknown>, orgId: string): boolean;
  getStaff(id: string): Promise<StaffDoc>;
  getDivision(id: string): Division;
  scopeOrgs(ctx: Ctx<unknown>, orgId?: string): string[] | null;
  statusesOn(date: string, orgIds: string[] | null): Promise<Map<string, AttendanceStatus>>;
  attendance(year: number, month: number): Promise<Model<AttendanceDoc>>;
  writeAttendance(entries: AttendanceEntry[]): Promise<void>;
  staffChanged(ctx: Ctx<unknown>, doc: StaffDoc): Promise<void>;
  setAHolder(ctx: Ctx<unknown>, post: PostDoc, staffId: string | null): Promise<void>;
  nextStaffId(): Promise<string>;
  reserveStaffIds(n: number): Promise<string[]>;
}

type This = Service<Settings> & DbVars & Vars & Methods;

interface AttendanceEntry {
  staffId: string;
  orgId: string;
  divisionId: string;
  date: string;
  status: AttendanceStatus;
}

/** Roles that administer people; object-level checks (which org) follow in the handler. */
const ADMIN_ROLES: Role[] = ["hr_admin", "county_admin", "sys_admin", "leader"];

const YEAR_MONTH = {
  year: { type: "number", integer: true, min: 2000, max: 2100, convert: true },
  month: { type: "number", integer: true, min: 1, max: 12, convert: true },
};

/** The params of a division's or organisation's attendance month (view and export). */
const MONTH_VIEW_PARAMS = { $$strict: true, ...YEAR_MONTH, orgId: `${ID}|optional`, divisionId: `${ID}|optional` };
const PAGE_LIMIT_MAX = 200;
const BATCH = 1000;

/** The editable fields of a post (`posts.create` makes the title required). */
const POST_FIELDS = {
  title: "string|min:1|max:40|trim|optional",
  responsibilities: "string|max:2000|optional",
  aHolderId: { type: "string", max: 64, optional: true, nullable: true },
  bHolderId: { type: "string", max: 64, optional: true, nullable: true },
};
interface PostFields {
  title?: string;
  responsibilities?: string;
  aHolderId?: string | null;
  bHolderId?: string | null;
}

const toPost = (p: PostDoc): Post => ({
  id: p._id,
  orgId: p.orgId,
  divisionId: p.divisionId,
  title: p.title,
  responsibilities: p.responsibilities,
  isHead: p.isHead,
  aHolderId: p.aHolderId ?? null,
  bHolderId: p.bHolderId ?? null,
  order: p.order,
});
const fromDoc = <T extends { _id: string }>(d: T): Omit<T, "_id"> & { id: string } => {
  const { _id, ...rest } = d;
  return { id: _id, ...rest };
};

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

const PersonnelService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "personnel",
  mixins: [dbMixin("personnel")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    // ---------- organisations ----------
    "orgs.list": {
      rest: "GET /orgs",
      params: { $$strict: true },
      async handler(this: This): Promise<OrgWithDivisions[]> {
        const divisions = [...this.divisions.values()];
        return [...this.orgs.values()]
          .sort((a, b) => a.order - b.order)
          .map((o) => ({
            ...o,
            divisions: divisions.filter((d) => d.orgId === o.id).sort((a, b) => a.order - b.order),
          }));
      },
    },

    "divisions.list": {
      rest: "GET /divisions",
      params: { $$strict: true, orgId: ID },
      async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<Division[]> {
        if (!this.orgs.has(ctx.params.orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        return [...this.divisions.values()]
          .filter((d) => d.orgId === ctx.params.orgId)
          .sort((a, b) => a.order - b.order);
      },
    },

    // ---------- posts (AB岗) ----------
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
      auth: { roles: ADMIN_ROLES },
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
      auth: { roles: ADMIN_ROLES },
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
      auth: { roles: ADMIN_ROLES },
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
          bothAbsent: rows.filter(
            (r) => r.post.aHolderId && r.post.bHolderId && isAway(r.aStatus) && isAway(r.bStatus),
          ),
        };
      },
    },

    // ---------- staff ----------
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
      auth: { roles: ADMIN_ROLES },
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
      auth: { roles: ADMIN_ROLES },
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

    "staff.export": {
      rest: "GET /exports/staff",
      auth: { roles: ADMIN_ROLES },
      params: { $$strict: true, orgId: `${ID}|optional`, divisionId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ orgId?: string; divisionId?: string }>): Promise<Buffer> {
        const division = ctx.params.divisionId ? this.getDivision(ctx.params.divisionId) : undefined;
        const orgIds = this.scopeOrgs(ctx, division?.orgId ?? ctx.params.orgId);
        const filter: Record<string, unknown> = orgIds ? { orgId: { $in: orgIds } } : {};
        if (division) filter.divisionId = division.id;
        const [staff, posts] = await Promise.all([
          this.m.Staff.find(filter).sort({ orgId: 1, divisionId: 1, _id: 1 }).lean<StaffDoc[]>(),
          this.m.Post.find(orgIds ? { orgId: { $in: orgIds } } : {}, { title: 1 }).lean<PostDoc[]>(),
        ]);
        const postTitles = new Map(posts.map((p) => [p._id, p.title]));
        const buf = await staffWorkbook(staff, {
          today: this.today(),
          orgName: (id) => this.orgs.get(id)?.name ?? id,
          divisionName: (id) => this.divisions.get(id)?.name ?? id,
          postTitle: (id) => (id ? (postTitles.get(id) ?? "") : ""),
        });
        const org = orgIds?.length === 1 ? this.orgs.get(orgIds[0])?.name : "全市";
        ctx.meta.$responseType = XLSX_MIME;
        ctx.meta.$responseHeaders = {
          "Content-Disposition": contentDisposition(`${org ?? ""}${division?.name ?? ""}干部职工名册`, "xlsx"),
        };
        await audit(ctx, "personnel.staff.export", "success", `org:${orgIds?.join(",") ?? "all"}`, {
          rows: staff.length,
        });
        return buf;
      },
    },

    "staff.import": {
      rest: "POST /imports/staff",
      auth: { roles: ADMIN_ROLES },
      params: { $$strict: true, file: "string|min:1|max:14000000" },
      async handler(this: This, ctx: Ctx<{ file: string }>): Promise<{ created: number; updated: number }> {
        const sheet = await readSheet(decodeUpload(ctx.params.file));
        const existing = await this.m.Staff.find({}, { orgId: 1 }).lean<Pick<StaffDoc, "_id" | "orgId">[]>();
        const existingOrg = new Map(existing.map((s) => [s._id, s.orgId]));
        const orgByKey = new Map<string, Org>();
        for (const o of this.orgs.values()) orgByKey.set(o.id, o).set(o.name, o).set(o.shortName, o);
        const { rows, errors } = validateStaffRows(sheet.headers, sheet.rows, {
          today: this.today(),
          org: (k) => orgByKey.get(k),
          division: (orgId, k) =>
            [...this.divisions.values()].find((d) => d.orgId === orgId && (d.id === k || d.name === k)),
          existingOrg: (id) => existingOrg.get(id),
          mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
        });
        if (errors.length) throw importError(errors);

        const created: StaffDoc[] = [];
        const updates: { id: string; set: Partial<StaffDoc> }[] = [];
        const newIds = await this.reserveStaffIds(rows.filter((r) => !r.id).length);
        for (const r of rows) {
          const fields = {
            name: r.name,
            ...nameKeys(r.name),
            gender: r.gender,
            birthDate: r.birthDate,
            education: r.education,
            politicalStatus: r.politicalStatus,
            title: r.title,
            orgId: r.orgId,
            divisionId: r.divisionId,
            phone: r.phone,
            hireDate: r.hireDate,
            status: r.status,
          };
          if (r.id) updates.push({ id: r.id, set: fields });
          else created.push({ _id: newIds[created.length], postId: null, version: 1, ...fields });
        }
        for (let i = 0; i < created.length; i += BATCH)
          await this.m.Staff.insertMany(created.slice(i, i + BATCH), { ordered: false });
        for (let i = 0; i < updates.length; i += BATCH)
          await this.m.Staff.bulkWrite(
            updates
              .slice(i, i + BATCH)
              .map((u) => ({ updateOne: { filter: { _id: u.id }, update: { $set: u.set, $inc: { version: 1 } } } })),
          );
        await audit(ctx, "personnel.staff.import", "success", null, {
          created: created.length,
          updated: updates.length,
        });
        const touched = await this.m.Staff.find({
          _id: { $in: [...created.map((c) => c._id), ...updates.map((u) => u.id)] },
        }).lean<StaffDoc[]>();
        for (const s of touched) await this.staffChanged(ctx, s);
        return { created: created.length, updated: updates.length };
      },
    },

    // ---------- attendance ----------
    "attendance.set": {
      rest: "POST /attendance",
      params: {
        $$strict: true,
        divisionId: ID,
        entries: {
          type: "array",
          min: 1,
          max: 2000,
          items: {
            type: "object",
            strict: true,
            props: { staffId: ID, date: DATE, status: { type: "enum", values: ATTENDANCE_STATUSES } },
          },
        },
      },
      async handler(
        this: This,
        ctx: Ctx<{ divisionId: string; entries: { staffId: string; date: string; status: AttendanceStatus }[] }>,
      ): Promise<{ written: number }> {
        const { divisionId, entries } = ctx.params;
        const division = this.getDivision(divisionId);
        if (!ctx.meta.system && !(ctx.meta.user && canEnterAttendance(ctx.meta.user, division.orgId, division.id)))
          throw new ForbiddenError("只有本处室负责人或单位管理员可以录入考勤");
        const members = await this.m.Staff.find({ divisionId }, { _id: 1 }).lean<StaffDoc[]>();
        const memberIds = new Set(members.map((s) => s._id));
        const errors: FieldError[] = [];
        entries.forEach((e, i) => {
          if (!memberIds.has(e.staffId)) errors.push({ field: `entries[${i}].staffId`, message: "该人员不在本处室" });
          if (!isIsoDate(e.date)) errors.push({ field: `entries[${i}].date`, message: "日期应为 YYYY-MM-DD" });
        });
        if (errors.length) throw new ValidationError("考勤数据有误", errors);
        await this.writeAttendance(entries.map((e) => ({ ...e, orgId: division.orgId, divisionId })));
        await audit(ctx, "personnel.attendance.set", "success", `division:${divisionId}`, { entries: entries.length });
        return { written: entries.length };
      },
    },

    /** A person's own month: every staff member may read it (My page), whatever their role. */
    "attendance.mine": {
      rest: "GET /attendance/mine",
      params: { $$strict: true, ...YEAR_MONTH },
      async handler(
        this: This,
        ctx: Ctx<{ year: number; month: number }>,
      ): Promise<{
        year: number;
        month: number;
        staffId: string;
        workingDays: string[];
        days: Record<string, AttendanceStatus>;
        counts: ReturnType<typeof emptyCounts>;
      }> {
        const { year, month } = ctx.params;
        const staffId = ctx.meta.user!.staffId;
        if (!staffId) throw new NotFoundError("STAFF_NOT_FOUND", "该账号未关联干部信息");
        // The month's collection is keyed by staff id: one _id lookup.
        const doc = await this.attendance(year, month).then((m) => m.findById(staffId).lean<AttendanceDoc>());
        const days = doc?.days ?? {};
        const workingDays = workingDaysOfMonth(year, month, this.today());
        return { year, month, staffId, workingDays, days, counts: countDays(days, workingDays) };
      },
    },

    "attendance.month": {
      rest: "GET /attendance/month",
      params: MONTH_VIEW_PARAMS,
      async handler(
        this: This,
        ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
      ): Promise<AttendanceMonthResult> {
        const { year, month } = ctx.params;
        const { staff, byStaff } = await loadAttendanceMonth(this, ctx);
        const workingDays = workingDaysOfMonth(year, month, this.today());
        const people = staff.map((s) => {
          const days = byStaff.get(s._id) ?? {};
          return { staffId: s._id, name: s.name, divisionId: s.divisionId, days, counts: countDays(days, workingDays) };
        });
        const divisions = new Map<
          string,
          { divisionId: string; people: number; counts: ReturnType<typeof emptyCounts> }
        >();
        for (const p of people) {
          const d = divisions.get(p.divisionId) ?? { divisionId: p.divisionId, people: 0, counts: emptyCounts() };
          d.people += 1;
          addCounts(d.counts, p.counts);
          divisions.set(p.divisionId, d);
        }
        return { year, month, workingDays, people, divisions: [...divisions.values()] };
      },
    },

    /** Every person's recorded days of a month in one read, for services rebuilding their counters. */
    "attendance.monthAll": {
      auth: "internal",
      params: { $$strict: true, ...YEAR_MONTH },
      async handler(this: This, ctx: Ctx<{ year: number; month: number }>): Promise<StaffMonthDays[]> {
        const model = await this.attendance(ctx.params.year, ctx.params.month);
        const docs = await model.find({}, { staffId: 1, days: 1 }).lean<AttendanceDoc[]>();
        return docs.map((d) => ({ staffId: d.staffId, days: d.days ?? {} }));
      },
    },

    "attendance.today": {
      auth: "internal",
      params: { $$strict: true, date: `${DATE}|optional`, orgId: `${ID}|optional` },
      async handler(
        this: This,
        ctx: Ctx<{ date?: string; orgId?: string }>,
      ): Promise<{ date: string; statuses: Record<string, AttendanceStatus> }> {
        const date = ctx.params.date ?? this.today();
        if (!isIsoDate(date)) throw fieldError("date", "日期应为 YYYY-MM-DD");
        const statuses = await this.statusesOn(date, ctx.params.orgId ? [ctx.params.orgId] : null);
        return { date, statuses: Object.fromEntries(statuses) };
      },
    },

    "attendance.export": {
      rest: "GET /exports/attendance",
      params: MONTH_VIEW_PARAMS,
      async handler(
        this: This,
        ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
      ): Promise<Buffer> {
        const { year, month } = ctx.params;
        const { scope, staff, byStaff } = await loadAttendanceMonth(this, ctx);
        const buf = await attendanceWorkbook(
          year,
          month,
          staff.map((s) => ({
            staffId: s._id,
            name: s.name,
            divisionName: this.divisions.get(s.divisionId)?.name ?? s.divisionId,
            days: byStaff.get(s._id) ?? {},
          })),
        );
        const where = scope.divisionId
          ? `${this.orgs.get(this.divisions.get(scope.divisionId)?.orgId ?? "")?.name ?? ""}${this.divisions.get(scope.divisionId)?.name ?? ""}`
          : (this.orgs.get(scope.orgId ?? "")?.name ?? "");
        ctx.meta.$responseType = XLSX_MIME;
        ctx.meta.$responseHeaders = {
          "Content-Disposition": contentDisposition(`${where}${year}年${month}月考勤表`, "xlsx"),
        };
        return buf;
      },
    },

    "attendance.import": {
      rest: "POST /imports/attendance",
      auth: { roles: ADMIN_ROLES },
      params: {
        $$strict: true,
        file: "string|min:1|max:14000000",
        ...YEAR_MONTH,
      },
      async handler(
        this: This,
        ctx: Ctx<{ file: string; year: number; month: number }>,
      ): Promise<{ people: number; days: number }> {
        const { year, month } = ctx.params;
        const sheet = await readSheet(decodeUpload(ctx.params.file));
        const staff = await this.m.Staff.find({}, { orgId: 1, divisionId: 1 }).lean<StaffDoc[]>();
        const byId = new Map(staff.map((s) => [s._id, { orgId: s.orgId, divisionId: s.divisionId }]));
        const { entries, errors } = validateAttendanceRows(year, month, sheet.headers, sheet.rows, {
          staff: (id) => byId.get(id),
          mayImportInto: (orgId) => this.mayAdminister(ctx, orgId),
        });
        if (errors.length) throw importError(errors);
        await this.writeAttendance(entries);
        const people = new Set(entries.map((e) => e.staffId)).size;
        await audit(ctx, "personnel.attendance.import", "success", null, { people, days: entries.length });
        return { people, days: entries.length };
      },
    },

    // ---------- demo data ----------
    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional" },
      async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<SeedResult> {
        const started = Date.now();
        const hasData = (await this.m.Staff.countDocuments({}).limit(1)) > 0;
        if (hasData && !ctx.params.reset) return { seeded: false };
        const today = this.today();
        if (hasData || ctx.params.reset) {
          await emptyModels(Object.values(this.m));
          const collections = (await this.db.db?.listCollections({}, { nameOnly: true }).toArray()) ?? [];
          for (const c of collections)
            if (c.name.startsWith("attendance_")) await this.db.dropCollection(c.name).catch(() => undefined);
          this.attendanceReady.clear();
        }
        await this.ensureOrgs();
        await this.loadRefs();
        const demo = generateDemo(today);
        for (let i = 0; i < demo.staff.length; i += BATCH)
          await this.m.Staff.collection.insertMany(demo.staff.slice(i, i + BATCH) as never[], { ordered: false });
        for (let i = 0; i < demo.posts.length; i += BATCH)
          await this.m.Post.collection.insertMany(demo.posts.slice(i, i + BATCH) as never[], { ordered: false });
        await this.m.Counter.updateOne({ _id: "staff" }, { $set: { seq: demo.staff.length } }, { upsert: true });
        // Grouped by month collection, written in batches of ~1000.
        const batches = new Map<string, AttendanceDoc[]>();
        let attendanceDocs = 0;
        const flush = async (docs: AttendanceDoc[]): Promise<void> => {
          const model = await this.attendance(docs[0].year, docs[0].month);
          await model.collection.insertMany(docs as never[], { ordered: false });
          attendanceDocs += docs.length;
        };
        for (const doc of generateAttendance(demo.staff, today)) {
          const key = `${doc.year}-${doc.month}`;
          const batch = batches.get(key) ?? [];
          batch.push(doc);
          batches.set(key, batch);
          if (batch.length === BATCH) {
            await flush(batch);
            batches.set(key, []);
          }
        }
        for (const batch of batches.values()) if (batch.length) await flush(batch);
        const result = {
          seeded: true,
          orgs: ORGS.length,
          divisions: DIVISIONS.length,
          posts: demo.posts.length,
          staff: demo.staff.length,
          attendanceDocs,
          ms: Date.now() - started,
        };
        this.logger.info("Demo data seeded", result);
        return result;
      },
    },

    "demo.people": {
      auth: "internal",
      params: { $$strict: true },
      async handler(this: This): Promise<DemoPeople> {
        return Object.fromEntries(generateDemo(this.today()).people.map((p) => [p.role, p.staffId])) as DemoPeople;
      },
    },
  },

  /** Methods */
  methods: {
    today(this: This): string {
      return localDate(this.clock.now());
    },

    async ensureOrgs(this: This): Promise<void> {
      if ((await this.m.Org.countDocuments({})) >= ORGS.length) return;
      const orgDocs: OrgDoc[] = ORGS.map(({ id, ...o }) => ({ _id: id, ...o }));
      const divDocs: DivisionDoc[] = DIVISIONS.map(({ id, ...d }) => ({ _id: id, ...d }));
      // Upserts, so replicas starting together or a partial earlier run do no harm.
      await this.m.Org.bulkWrite(
        orgDocs.map((o) => ({ updateOne: { filter: { _id: o._id }, update: { $set: o }, upsert: true } })),
      );
      await this.m.Division.bulkWrite(
        divDocs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: d }, upsert: true } })),
      );
    },

    async loadRefs(this: This): Promise<void> {
      const [orgs, divisions] = await Promise.all([
        this.m.Org.find().lean<OrgDoc[]>(),
        this.m.Division.find().lean<DivisionDoc[]>(),
      ]);
      this.orgs = new Map(orgs.map((o) => [o._id, fromDoc(o) as Org]));
      this.divisions = new Map(divisions.map((d) => [d._id, fromDoc(d) as Division]));
    },

    mayAdminister(this: This, ctx: Ctx<unknown>, orgId: string): boolean {
      return !!ctx.meta.system || (!!ctx.meta.user && canAdministerOrg(ctx.meta.user, orgId));
    },

    /** A post's A and B holders must be staff of the post's organisation. */
    async checkHolders(this: This, p: PostFields, orgId: string): Promise<void> {
      for (const key of ["aHolderId", "bHolderId"] as const) {
        const id = p[key];
        if (!id) continue;
        const s = await this.m.Staff.findById(id).lean<StaffDoc>();
        if (!s || s.orgId !== orgId) throw fieldError(key, "该人员不存在或不属于本单位");
      }
    },

    requireAdmin(this: This, ctx: Ctx<unknown>, orgId: string): void {
      if (!this.mayAdminister(ctx, orgId)) throw new ForbiddenError("无权管理其他单位的人员");
    },

    seesPersonal(this: This, ctx: Ctx<unknown>, orgId: string): boolean {
      return !!ctx.meta.system || (!!ctx.meta.user && seesPersonalFields(ctx.meta.user, orgId));
    },

    async getStaff(this: This, id: string): Promise<StaffDoc> {
      const doc = await this.m.Staff.findById(id).lean<StaffDoc>();
      if (!doc) throw new NotFoundError("STAFF_NOT_FOUND", "人员不存在");
      return doc;
    },

    getDivision(this: This, id: string): Division {
      const d = this.divisions.get(id);
      if (!d) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
      return d;
    },

    /** Organisations an admin view covers: the one asked for (if allowed), else own org; null = all. */
    scopeOrgs(this: This, ctx: Ctx<unknown>, orgId?: string): string[] | null {
      if (orgId) {
        if (!this.orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        if (!this.mayAdminister(ctx, orgId)) throw new ForbiddenError("无权查看其他单位");
        return [orgId];
      }
      const user = ctx.meta.user as AuthUser | undefined;
      if (ctx.meta.system || (user && isCityWide(user))) return null;
      if (user && this.mayAdminister(ctx, user.orgId)) return [user.orgId];
      throw new ForbiddenError();
    },

    async statusesOn(this: This, date: string, orgIds: string[] | null): Promise<Map<string, AttendanceStatus>> {
      const { year, month, day } = splitDate(date);
      const filter: Record<string, unknown> = orgIds ? { orgId: { $in: orgIds } } : {};
      const model = await this.attendance(year, month);
      const docs = await model.find(filter, { staffId: 1, days: 1 }).lean<AttendanceDoc[]>();
      const out = new Map<string, AttendanceStatus>();
      for (const d of docs) {
        const s = d.days?.[day];
        if (s) out.set(d.staffId, s);
      }
      return out;
    },

    async attendance(this: This, year: number, month: number): Promise<Model<AttendanceDoc>> {
      const model = attendanceModel(this.db, year, month);
      if (!this.attendanceReady.has(model.collection.name)) {
        await model.createIndexes();
        this.attendanceReady.add(model.collection.name);
      }
      return model;
    },

    /** One upsert per person-month, setting all of that month's days at once. */
    async writeAttendance(this: This, entries: AttendanceEntry[]): Promise<void> {
      const groups = new Map<string, { year: number; month: number; ops: Map<string, Record<string, string>> }>();
      for (const e of entries) {
        const { year, month, day } = splitDate(e.date);
        const g = groups.get(`${year}-${month}`) ?? { year, month, ops: new Map() };
        const set = g.ops.get(e.staffId) ?? { staffId: e.staffId, orgId: e.orgId, divisionId: e.divisionId };
        set[`days.${day}`] = e.status;
        g.ops.set(e.staffId, set);
        groups.set(`${year}-${month}`, g);
      }
      for (const { year, month, ops } of groups.values()) {
        const model = await this.attendance(year, month);
        const writes = [...ops].map(([staffId, set]) => ({
          updateOne: {
            filter: { _id: staffId },
            update: { $set: set, $setOnInsert: { year, month } },
            upsert: true,
          },
        }));
        for (let i = 0; i < writes.length; i += BATCH)
          await model.bulkWrite(writes.slice(i, i + BATCH), { ordered: false });
      }
      // Durable, so the assessment service's attendance counters follow every entry and import;
      // `at` orders writes (real time, not the injectable calendar clock).
      const at = new Date().toISOString();
      for (let i = 0; i < entries.length; i += BATCH)
        await publish(this.broker, "personnel.attendance.changed", { at, entries: entries.slice(i, i + BATCH) });
    },

    async staffChanged(this: This, ctx: Ctx<unknown>, doc: StaffDoc): Promise<void> {
      await publish(ctx.broker, "personnel.staff.changed", {
        staffId: doc._id,
        name: doc.name,
        orgId: doc.orgId,
        divisionId: doc.divisionId,
        postId: doc.postId ?? null,
        phone: doc.phone ?? null,
        status: doc.status,
        version: doc.version,
      });
    },

    /** Makes `staffId` (or nobody) the A holder of `post`, keeping each staff record's postId in step. */
    async setAHolder(this: This, ctx: Ctx<unknown>, post: PostDoc, staffId: string | null): Promise<void> {
      const touched = new Set<string>();
      if (post.aHolderId && post.aHolderId !== staffId) {
        await this.m.Staff.updateOne(
          { _id: post.aHolderId, postId: post._id },
          { $set: { postId: null }, $inc: { version: 1 } },
        );
        touched.add(post.aHolderId);
      }
      if (staffId) {
        const holder = await this.getStaff(staffId);
        if (holder.postId && holder.postId !== post._id)
          await this.m.Post.updateOne({ _id: holder.postId, aHolderId: staffId }, { $set: { aHolderId: null } });
        if (holder.postId !== post._id) {
          await this.m.Staff.updateOne({ _id: staffId }, { $set: { postId: post._id }, $inc: { version: 1 } });
          touched.add(staffId);
        }
      }
      await this.m.Post.updateOne({ _id: post._id }, { $set: { aHolderId: staffId } });
      for (const id of touched) await this.staffChanged(ctx, await this.getStaff(id));
    },

    /** A block of `n` new staff ids from one counter update. */
    async reserveStaffIds(this: This, n: number): Promise<string[]> {
      if (n === 0) return [];
      const c = await this.m.Counter.findOneAndUpdate(
        { _id: "staff" },
        { $inc: { seq: n } },
        { upsert: true, returnDocument: "after" },
      ).lean<{ seq: number }>();
      const last = c?.seq ?? n;
      return Array.from({ length: n }, (_, i) => formatStaffId(last - n + 1 + i));
    },

    async nextStaffId(this: This): Promise<string> {
      const c = await this.m.Counter.findOneAndUpdate(
        { _id: "staff" },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: "after" },
      ).lean<{ seq: number }>();
      return formatStaffId(c?.seq ?? 1);
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.orgs = new Map();
    this.divisions = new Map();
    this.attendanceReady = new Set();
  },

  async started(this: This) {
    await this.ensureOrgs();
    await this.loadRefs();
  },
};

/** The staff filter of an attendance view, after checking the caller may see it. */
function attendanceScope(
  svc: This,
  ctx: Ctx<{ orgId?: string; divisionId?: string }>,
): { orgId?: string; divisionId?: string } {
  const { divisionId, orgId } = ctx.params;
  if (divisionId) {
    const d = svc.getDivision(divisionId);
    if (!ctx.meta.system && !(ctx.meta.user && canEnterAttendance(ctx.meta.user, d.orgId, d.id)))
      throw new ForbiddenError("无权查看该处室考勤");
    return { divisionId };
  }
  const org = orgId ?? ctx.meta.user?.orgId;
  if (!org) throw fieldError("orgId", "请指定单位或处室");
  if (!svc.orgs.has(org)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
  svc.requireAdmin(ctx, org);
  return { orgId: org };
}

/** The active staff in an attendance view's scope, with their days of the month. */
async function loadAttendanceMonth(
  svc: This,
  ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
): Promise<{
  scope: { orgId?: string; divisionId?: string };
  staff: StaffDoc[];
  byStaff: Map<string, Record<string, AttendanceStatus>>;
}> {
  const scope = attendanceScope(svc, ctx);
  const [staff, docs] = await Promise.all([
    svc.m.Staff.find({ ...scope, status: "active" }, { name: 1, divisionId: 1 })
      .sort({ divisionId: 1, _id: 1 })
      .lean<StaffDoc[]>(),
    svc.attendance(ctx.params.year, ctx.params.month).then((m) => m.find(scope).lean<AttendanceDoc[]>()),
  ]);
  return { scope, staff, byStaff: new Map(docs.map((d) => [d.staffId, d.days ?? {}])) };
}

export default PersonnelService as unknown as ServiceSchema;
