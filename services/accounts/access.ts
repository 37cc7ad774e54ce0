/** Which accounts an administrator may manage. */
import { canAdministerOrg, type AuthUser } from "../../shared/auth";
import { ForbiddenError } from "../../shared/errors";
import type { AccountDoc } from "./data/models";
import type { This } from "./types";

export const accessMethods = {
  assertCanAdminister(this: This, user: AuthUser, account: AccountDoc): void {
    if (!canAdministerOrg(user, account.orgId)) throw new ForbiddenError("只能管理本单位的账号");
  },
};
