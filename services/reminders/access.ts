/** Who administers reminders, and the organisation an administrator's request is scoped to. */
import { canAdministerOrg, isCityWide } from "../../shared/auth";
import { ForbiddenError } from "../../shared/errors";
import type { Ctx, This } from "./types";

export const ADMIN_ROLES = ["hr_admin", "county_admin", "sys_admin", "leader"] as const;

export const accessMethods = {
  scopeOrg(this: This, ctx: Ctx<unknown>, orgId: string | undefined): string | undefined {
    const user = ctx.meta.user;
    if (!user) return orgId;
    const scoped = orgId ?? (isCityWide(user) ? undefined : user.orgId);
    if (scoped && !canAdministerOrg(user, scoped)) throw new ForbiddenError("无权查看其他单位");
    return scoped;
  },
};
