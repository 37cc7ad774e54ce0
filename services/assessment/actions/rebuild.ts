/** Actions: rebuild jobs (重建计数), started by city HR and polled for their progress. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import { isCityWide } from "../../../shared/auth";
import type { RebuildJob } from "../../../shared/contracts/assessment";
import { ForbiddenError, NotFoundError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import type { Ctx, This } from "../types";
import { OPTIONAL_YEAR } from "./common";

/** Rebuilding: city HR (checked in the handler: a county's HR admin has the same role) and sys admins. */
const REBUILD_ROLES = { roles: ["hr_admin" as const, "sys_admin" as const] };

export const rebuildActions: Service.ServiceActionsSchema<This> = {
  rebuild: {
    rest: "POST /rebuild",
    auth: REBUILD_ROLES,
    params: { $$strict: true, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob> {
      const user = ctx.meta.user;
      if (!ctx.meta.system && !(user && isCityWide(user)))
        throw new ForbiddenError("只有市局人教处和系统管理员可以重建考核计数");
      const job = await this.jobs.start(ctx.params.year ?? this.currentYear(), user?.accountId ?? null);
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
      return job;
    },
  },

  "rebuild.latest": {
    rest: "GET /rebuild/jobs",
    auth: REBUILD_ROLES,
    params: { $$strict: true, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob | null> {
      return this.jobs.latest(ctx.params.year ?? this.currentYear());
    },
  },
};
