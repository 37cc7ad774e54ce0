/** Who may write what in plans: a division's tasks and months, a person's months, HR's settings. */
import { CITY_ORG_ID, canAdministerOrg, hasRole } from "../../shared/auth";
import type { MonthScope } from "../../shared/contracts/plans";
import { ForbiddenError, NotFoundError } from "../../shared/errors";
import type { Ctx, This } from "./types";

export const accessMethods = {
  /** The division's head, or an administrator of its organisation (or a city-wide role). */
  mayEditDivision(this: This, ctx: Ctx<unknown>, divisionId: string, orgId: string): boolean {
    if (ctx.meta.system) return true;
    const user = ctx.meta.user;
    if (!user) return false;
    if (canAdministerOrg(user, orgId)) return true;
    return hasRole(user, "division_head") && user.divisionId === divisionId;
  },

  /** City HR (人教处) or a system administrator: approves tasks and sets deadlines. */
  isHr(this: This, ctx: Ctx<unknown>): boolean {
    const user = ctx.meta.user;
    if (ctx.meta.system) return true;
    return !!user && (hasRole(user, "sys_admin") || (user.orgId === CITY_ORG_ID && hasRole(user, "hr_admin")));
  },

  /** Where a month's arrangement belongs, after checking the caller may write it. */
  async monthOwner(
    this: This,
    ctx: Ctx<unknown>,
    scope: MonthScope,
    ownerId: string,
  ): Promise<{ divisionId: string; orgId: string }> {
    if (scope === "division") {
      const d = await this.division(ownerId);
      if (!this.mayEditDivision(ctx, d.id, d.orgId))
        throw new ForbiddenError("只有本处室负责人可以填报处室的工作安排和完成情况", "NOT_DIVISION_HEAD");
      return { divisionId: d.id, orgId: d.orgId };
    }
    const s = (await this.staffRefs([ownerId])).get(ownerId);
    if (!s) throw new NotFoundError("STAFF_NOT_FOUND", "人员不存在");
    if (ctx.meta.user?.staffId !== ownerId && !this.mayEditDivision(ctx, s.divisionId, s.orgId))
      throw new ForbiddenError("只能填报自己的工作安排和完成情况", "NOT_OWNER");
    return { divisionId: s.divisionId, orgId: s.orgId };
  },
};
