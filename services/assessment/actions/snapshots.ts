/** Actions: freezing a year's results, the frozen snapshot, and what a re-run would change. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { Snapshot, SnapshotDiff, SnapshotMeta, SnapshotResults } from "../../../shared/contracts/assessment";
import { ConflictError, ForbiddenError, NotFoundError } from "../../../shared/errors";
import { YEAR, isDuplicateKey } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import type { SnapshotDoc } from "../data/models";
import { canonicalJson, diffResults, pack, sha256 } from "../snapshot";
import type { Ctx, This } from "../types";
import { schemeInput, snapshotMeta } from "../views";

/** Snapshots hold every person's results unredacted: a county's HR administrator is refused. */
function readsResults(ctx: Ctx<unknown>): void {
  if (!allowed(ctx.meta, "assessment.readResults"))
    throw new ForbiddenError("只有市局人教处、局领导和系统管理员可以查看冻结的考核结果");
}

export const snapshotActions: Service.ServiceActionsSchema<This> = {
  freeze: {
    rest: "POST /freeze",
    auth: rolesOf("assessment.freeze"),
    params: { $$strict: true, year: YEAR },
    async handler(this: This, ctx: Ctx<{ year: number }>): Promise<SnapshotMeta> {
      const user = ctx.meta.user;
      if (!allowed(ctx.meta, "assessment.freeze")) throw new ForbiddenError("只有市局人教处可以冻结考核结果");
      const { year } = ctx.params;
      if (await this.snapshot(year)) throw new ConflictError("ALREADY_FROZEN", `${year} 年度考核结果已冻结`);
      const scheme = await this.scheme(year);
      const live = await this.liveResults(year);
      const results: SnapshotResults = { scheme: schemeInput(scheme), ...live };
      const canonical = canonicalJson(results);
      const doc: SnapshotDoc = {
        _id: String(year),
        year,
        hash: sha256(canonical),
        frozenAt: this.clock.now(),
        frozenBy: user?.accountId ?? null,
        schemeVersion: scheme.version,
        counts: { staff: live.staff.length, divisions: live.divisions.length, orgs: live.orgs.length },
        results: pack(canonical),
      };
      try {
        await this.m.Snapshot.collection.insertOne(doc as never);
      } catch (err) {
        if (isDuplicateKey(err)) throw new ConflictError("ALREADY_FROZEN", `${year} 年度考核结果已冻结`);
        throw err;
      }
      await this.m.Scheme.collection.updateOne(
        { _id: String(year) } as never,
        {
          $set: {
            ...schemeInput(scheme),
            year,
            frozen: true,
            version: scheme.version,
            updatedAt: this.clock.now(),
            updatedBy: scheme.updatedBy,
          },
        } as never,
        { upsert: true },
      );
      this.snapshots.delete(year);
      this.dropYear(year);
      await audit(ctx, "assessment.freeze", "success", `year:${year}`, { hash: doc.hash });
      return snapshotMeta(doc);
    },
  },

  "snapshots.get": {
    rest: "GET /snapshots/:year",
    auth: rolesOf("assessment.readResults"),
    params: { $$strict: true, year: YEAR },
    async handler(this: This, ctx: Ctx<{ year: number }>): Promise<Snapshot> {
      readsResults(ctx);
      const s = await this.snapshot(ctx.params.year);
      if (!s) throw new NotFoundError("SNAPSHOT_NOT_FOUND", `${ctx.params.year} 年度考核结果尚未冻结`);
      return { ...s.meta, results: s.results };
    },
  },

  "snapshots.diff": {
    rest: "GET /snapshots/:year/diff",
    auth: rolesOf("assessment.readResults"),
    params: { $$strict: true, year: YEAR },
    async handler(this: This, ctx: Ctx<{ year: number }>): Promise<SnapshotDiff> {
      readsResults(ctx);
      const { year } = ctx.params;
      const s = await this.snapshot(year);
      if (!s) throw new NotFoundError("SNAPSHOT_NOT_FOUND", `${year} 年度考核结果尚未冻结`);
      const current: SnapshotResults = { scheme: s.results.scheme, ...(await this.liveResults(year)) };
      const currentHash = sha256(canonicalJson(current));
      const { changes, total } = diffResults(s.results, current);
      return { year, hash: s.meta.hash, currentHash, same: currentHash === s.meta.hash, changes, total };
    },
  },
};
