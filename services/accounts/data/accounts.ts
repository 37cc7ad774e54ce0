/** Loading an account, and counting failed sign-ins towards a lockout. */
import { config } from "../../../shared/config";
import { NotFoundError } from "../../../shared/errors";
import type { This } from "../types";
import type { AccountDoc } from "./models";

export const accountMethods = {
  /** Counts a failed login atomically; returns true when this failure locks the account. */
  async recordFailure(this: This, account: AccountDoc): Promise<boolean> {
    const now = new Date();
    const windowMs = config().lockoutWindowMinutes * 60_000;
    const inWindow = await this.Accounts.findOneAndUpdate(
      { _id: account._id, failWindowStart: { $gte: new Date(now.getTime() - windowMs) } },
      { $inc: { failedCount: 1 } },
      { returnDocument: "after" },
    ).lean<AccountDoc>();
    const count = inWindow
      ? inWindow.failedCount
      : (await this.Accounts.updateOne({ _id: account._id }, { $set: { failedCount: 1, failWindowStart: now } }), 1);
    if (count < config().lockoutFailures) return false;
    await this.Accounts.updateOne({ _id: account._id }, { $set: { lockedUntil: new Date(now.getTime() + windowMs) } });
    return true;
  },

  async loadAccount(this: This, id: string): Promise<AccountDoc> {
    const account = await this.Accounts.findById(id).lean<AccountDoc>();
    if (!account) throw new NotFoundError("ACCOUNT_NOT_FOUND", "未找到该账号");
    return account;
  },
};
