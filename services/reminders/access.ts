/** Who administers reminders, and the organisation an administrator's request is scoped to. */
import { isCityWide } from "../../shared/auth";
import { ForbiddenError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import type { Ctx, This } from "./types";

export const accessMethods = {
  scopeOrg(this: This, ctx: Ctx<unknown>, orgId: string | undefined): string | undefined {
    const user = ctx.meta.user;
    if (!user) return orgId;
    const scoped = orgId ?? (isCityWide(user) ? undefined : user.orgId);
    if (scoped && !may(user, "reminders.read", { orgId: scoped })) throw new ForbiddenError("无权查看其他单位");
    return scoped;
  },
};
