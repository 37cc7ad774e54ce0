/** Actions: rebuild jobs (重建计数), started by city HR and polled for their progress. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { RebuildJob, RebuildPhase, RebuildResult } from "../../../shared/contracts/assessment";
import type { JobView } from "../../../shared/contracts/jobs";
import { ForbiddenError, NotFoundError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import type { Ctx, This } from "../types";
import { OPTIONAL_YEAR } from "./common";

/** A job of the shared runner as the rebuild API shows it: keyed by its year. */
function rebuildJobView({ key, phase, ...job }: JobView<RebuildResult>): RebuildJob {
  return { ...job, year: Number(key), phase: phase as RebuildPhase };
}

/** Rebuilding: city HR (checked in the handler: a county's HR admin has the same role) and sys admins. */
const REBUILD_ROLES = rolesOf("assessment.rebuild");

export const rebuildActions: Service.ServiceActionsSchema<This> = {
  rebuild: {
    rest: "POST /rebuild",
    auth: REBUILD_ROLES,
    params: { $$strict: true, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob> {
      const user = ctx.meta.user;
      if (!allowed(ctx.meta, "assessment.rebuild"))
        throw new ForbiddenError("只有市局人教处和系统管理员可以重建考核计数");
      const year = ctx.params.year ?? this.currentYear();
      const job = rebuildJobView(await this.jobs.start(String(year), year, user?.accountId ?? null));
      await audit(ctx, "assessment.rebuild", "success", `year:${job.year}`, { jobId: job.id, state: job.state });
      return job;
    },
  },

  "rebuild.status": {
    rest: "GET /rebuild/jobs/:id",
    auth: REBUILD_ROLES,
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<RebuildJob> {
      const job = await this.jobs.get(ctx.params.id);
      if (!job) throw new NotFoundError("REBUILD_JOB_NOT_FOUND", "重建任务不存在");
      return rebuildJobView(job);
    },
  },

  "rebuild.latest": {
    rest: "GET /rebuild/jobs",
    auth: REBUILD_ROLES,
    params: { $$strict: true, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob | null> {
      const job = await this.jobs.latest(String(ctx.params.year ?? this.currentYear()));
      return job && rebuildJobView(job);
    },
  },
};
