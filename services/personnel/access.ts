/** Who may see and administer what: the object-level checks the handlers make after `auth`. */
import { type AuthUser, isCityWide } from "../../shared/auth";
import { ForbiddenError, NotFoundError, fieldError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import type { Ctx, This } from "./personnel.types";

export const accessMethods = {
  mayAdminister(this: This, ctx: Ctx<unknown>, orgId: string): boolean {
    return !!ctx.meta.system || (!!ctx.meta.user && may(ctx.meta.user, "staff.administer", { orgId }));
  },

  requireAdmin(this: This, ctx: Ctx<unknown>, orgId: string): void {
    if (!this.mayAdminister(ctx, orgId)) throw new ForbiddenError("无权管理其他单位的人员");
  },

  seesPersonal(this: This, ctx: Ctx<unknown>, orgId: string): boolean {
    return !!ctx.meta.system || (!!ctx.meta.user && may(ctx.meta.user, "staff.readPrivate", { orgId }));
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
};

/** The staff filter of an attendance view, after checking the caller may see it. */
export function attendanceScope(
  svc: This,
  ctx: Ctx<{ orgId?: string; divisionId?: string }>,
): { orgId?: string; divisionId?: string } {
  const { divisionId, orgId } = ctx.params;
  if (divisionId) {
    const d = svc.getDivision(divisionId);
    if (
      !ctx.meta.system &&
      !(ctx.meta.user && may(ctx.meta.user, "attendance.enter", { orgId: d.orgId, divisionId: d.id }))
    )
      throw new ForbiddenError("无权查看该处室考勤");
    return { divisionId };
  }
  const org = orgId ?? ctx.meta.user?.orgId;
  if (!org) throw fieldError("orgId", "请指定单位或处室");
  if (!svc.orgs.has(org)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
  svc.requireAdmin(ctx, org);
  return { orgId: org };
}
