/** Loads and conditional writes of organisations, divisions, posts and staff records. */
import type { Division, Org } from "../../../shared/contracts/personnel";
import { NotFoundError, fieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { staffId as formatStaffId } from "../demo-data";
import { DIVISIONS, ORGS } from "../orgs";
import type { Ctx, DivisionDoc, OrgDoc, PostDoc, PostFields, StaffDoc, This } from "../personnel.types";
import { fromDoc } from "../views";

/** Documents per bulk write. */
export const BATCH = 1000;

export const storeMethods = {
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

  /** A post's A and B holders must be staff of the post's organisation. */
  async checkHolders(this: This, p: PostFields, orgId: string): Promise<void> {
    for (const key of ["aHolderId", "bHolderId"] as const) {
      const id = p[key];
      if (!id) continue;
      const s = await this.m.Staff.findById(id).lean<StaffDoc>();
      if (!s || s.orgId !== orgId) throw fieldError(key, "该人员不存在或不属于本单位");
    }
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
};
