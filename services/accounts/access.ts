/** Which accounts an administrator may manage, and which roles they may give. */
import type { AuthUser, Role } from "../../shared/auth";
import { ForbiddenError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import type { AccountDoc } from "./data/models";
import type { This } from "./types";

export const accessMethods = {
  /** Reset, unlock, disable or re-role: refused for one's own account and for accounts out of reach. */
  assertCanAdminister(this: This, user: AuthUser, account: AccountDoc): void {
    if (account._id === user.accountId)
      throw new ForbiddenError("不能在此管理自己的账号，请在个人设置中修改密码", "OWN_ACCOUNT");
    if (!may(user, "accounts.manage", { accountId: account._id, orgId: account.orgId, roles: account.roles }))
      throw new ForbiddenError("无权管理该账号：它不属于您管理的单位，或持有您不能授予的角色", "ACCOUNT_OUT_OF_REACH");
  },

  /** Roles the caller may give to an account of this organisation: else 403 naming the field. */
  assertCanGrant(this: This, user: AuthUser, orgId: string, roles: Role[]): void {
    if (!may(user, "accounts.grant", { orgId, roles }))
      throw new ForbiddenError("无权授予这些角色", "ROLE_NOT_GRANTABLE");
  },
};
