/** Loading an account (failed sign-ins are counted in Redis: shared/login-limits.ts). */
import { NotFoundError } from "../../../shared/errors";
import type { This } from "../types";
import type { AccountDoc } from "./models";

export const accountMethods = {
  async loadAccount(this: This, id: string): Promise<AccountDoc> {
    const account = await this.Accounts.findById(id).lean<AccountDoc>();
    if (!account) throw new NotFoundError("ACCOUNT_NOT_FOUND", "未找到该账号");
    return account;
  },
};
