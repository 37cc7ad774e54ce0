/** Which accounts an administrator may manage. */
import type { AuthUser } from "../../shared/auth";
import { ForbiddenError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import type { AccountDoc } from "./data/models";
import type { This } from "./types";

export const accessMethods = {
  assertCanAdminister(this: This, user: AuthUser, account: AccountDoc): void {
    if (!may(user, "accounts.administer", { orgId: account.orgId })) throw new ForbiddenError("只能管理本单位的账号");
  },
};
