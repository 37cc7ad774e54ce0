/** Who may write what in plans: a division's tasks and months, a person's months (shared/permissions.ts). */
import type { MonthScope } from "../../shared/contracts/plans";
import { ForbiddenError, NotFoundError } from "../../shared/errors";
import { allowed } from "../../shared/permissions";
import type { Ctx, This } from "./types";

export const accessMethods = {
  /** `plans.editDivision`: the division's head, or an administrator of its organisation (or a city-wide role). */
  mayEditDivision(this: This, ctx: Ctx<unknown>, divisionId: string, orgId: string): boolean {
    return allowed(ctx.meta, "plans.editDivision", { orgId, divisionId });
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
