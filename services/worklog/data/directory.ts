/** worklog's copy of the staff directory and the organisations (fed by personnel), and who the caller is. */
import type { AuthUser } from "../../../shared/auth";
import { call } from "../../../shared/contracts/actions";
import { ForbiddenError, fieldError } from "../../../shared/errors";
import { isDuplicateKey } from "../../../shared/params";
import type { Author, Ctx, OrgCopy, This } from "../types";
import type { StaffCopyDoc } from "./models";

/** Documents per bulk write. */
export const BATCH = 1000;

export const directoryMethods = {
  staffOf(this: This, ctx: Ctx<unknown>): string {
    const staffId = ctx.meta.user?.staffId;
    if (!staffId) throw new ForbiddenError("该账号没有对应的人员档案", "NO_STAFF_RECORD");
    return staffId;
  },

  /** The caller as a log author: worklog's directory copy, or the session's own facts until the copy arrives. */
  async author(this: This, ctx: Ctx<unknown>): Promise<Author> {
    const staffId = this.staffOf(ctx);
    const copy = (await this.allStaff()).get(staffId) ?? (await this.m.Staff.findById(staffId).lean<StaffCopyDoc>());
    if (copy) {
      if (copy.status !== "active") throw new ForbiddenError("该人员已不在职", "STAFF_INACTIVE");
      return { staffId, name: copy.name, orgId: copy.orgId, divisionId: copy.divisionId };
    }
    const user = ctx.meta.user as AuthUser;
    return { staffId, name: user.name, orgId: user.orgId, divisionId: user.divisionId ?? "" };
  },

  /** worklog's whole staff copy (about 1,500 small documents), by id. */
  async allStaff(this: This): Promise<Map<string, StaffCopyDoc>> {
    return this.cache.get("staff", async () => {
      const docs = await this.m.Staff.find().sort({ _id: 1 }).lean<StaffCopyDoc[]>();
      return new Map(docs.map((d) => [d._id, d]));
    });
  },

  async activeStaff(this: This, orgId?: string): Promise<StaffCopyDoc[]> {
    return [...(await this.allStaff()).values()].filter((s) => s.status === "active" && (!orgId || s.orgId === orgId));
  },

  /** Copies the staff directory and the organisations from personnel; copies newer from events stay. */
  async syncDirectory(this: This): Promise<{ staff: number; orgs: number }> {
    const meta = { meta: { system: true } };
    const [entries, orgs] = await Promise.all([
      call(this.broker, "personnel.staff.directory", {}, meta),
      call(this.broker, "personnel.orgs.list", {}, meta),
    ]);
    for (let i = 0; i < entries.length; i += BATCH) {
      const ops = entries.slice(i, i + BATCH).map((e) => ({
        updateOne: {
          filter: { _id: e.id, version: { $lte: 0 } },
          update: { $set: { name: e.name, orgId: e.orgId, divisionId: e.divisionId, status: e.status, version: 0 } },
          upsert: true,
        },
      }));
      await this.m.Staff.bulkWrite(ops, { ordered: false }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    }
    const orgColl = this.db.collection<OrgCopy>("orgs");
    await orgColl.bulkWrite(
      orgs.map((o) => ({
        updateOne: {
          filter: { _id: o.id },
          update: {
            $set: { name: o.name, divisions: o.divisions.map((d) => ({ id: d.id, name: d.name, kind: d.kind })) },
          },
          upsert: true,
        },
      })),
    );
    this.invalidate(["staff", "orgs", "policies"]);
    return { staff: entries.length, orgs: orgs.length };
  },

  async orgs(this: This): Promise<OrgCopy[]> {
    return this.cache.get("orgs", () => this.db.collection<OrgCopy>("orgs").find().toArray());
  },

  /**
   * Mentions: the ids the client picked (validated against the directory copy), plus `@姓名` in the
   * text when exactly one active staff member has that name (a common name that several people
   * share is left to the client's explicit pick).
   */
  async resolveMentions(this: This, body: string, ids: string[]): Promise<{ staffId: string; name: string }[]> {
    const out = new Map<string, string>();
    if (ids.length) {
      const found = await this.m.Staff.find({ _id: { $in: ids } }).lean<StaffCopyDoc[]>();
      const known = new Map(found.map((s) => [s._id, s.name]));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) throw fieldError("mentionIds", `人员不存在：${unknown.join("、")}`);
      for (const id of ids) out.set(id, known.get(id)!);
    }
    const names = [...body.matchAll(/@([\u4e00-\u9fff]{2,4})/g)].map((m) => m[1]);
    if (names.length) {
      const candidates = new Set<string>();
      for (const n of names) for (let len = 2; len <= n.length; len++) candidates.add(n.slice(0, len));
      const found = await this.m.Staff.find({ name: { $in: [...candidates] }, status: "active" }).lean<
        StaffCopyDoc[]
      >();
      const byName = new Map<string, StaffCopyDoc[]>();
      for (const s of found) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
      for (const n of names)
        for (let len = n.length; len >= 2; len--) {
          const hit = byName.get(n.slice(0, len));
          if (hit?.length === 1) {
            out.set(hit[0]._id, hit[0].name);
            break;
          }
          if (hit) break;
        }
    }
    return [...out].map(([staffId, name]) => ({ staffId, name }));
  },
};
