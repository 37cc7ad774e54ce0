/** Sessions: started on sign-in, revoked (in the database and the live store) when access must end. */
import { randomBytes } from "node:crypto";
import { config } from "../../../shared/config";
import type { LoginResult } from "../../../shared/contracts/accounts";
import { dropLiveSessions, newToken, putLiveSession } from "../../../shared/sessions";
import type { Ctx, This } from "../types";
import { authUser } from "../views";
import type { AccountDoc } from "./models";

export const sessionMethods = {
  async startSession(this: This, ctx: Ctx<unknown>, account: AccountDoc): Promise<LoginResult> {
    const sessionId = randomBytes(12).toString("base64url");
    const refresh = newToken(sessionId);
    const access = newToken(sessionId);
    const now = Date.now();
    await this.Sessions.create({
      _id: sessionId,
      accountId: account._id,
      refreshHash: refresh.hash,
      createdAt: new Date(now),
      expiresAt: new Date(now + config().refreshTokenDays * 86_400_000),
      ip: ctx.meta.ip ?? null,
    });
    const user = authUser(account, sessionId);
    const accessExpiresAt = await putLiveSession(user, access.hash);
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      accessExpiresAt,
      user,
      mustChangePassword: !!user.mustChangePassword,
    };
  },

  async revokeSessions(this: This, accountId: string, reason: string, exceptSessionId?: string): Promise<number> {
    const filter: Record<string, unknown> = { accountId, revokedAt: null };
    if (exceptSessionId) filter._id = { $ne: exceptSessionId };
    const open = await this.Sessions.find(filter, { _id: 1 }).lean<{ _id: string }[]>();
    const ids = open.map((s) => s._id);
    if (!ids.length) return 0;
    await this.Sessions.bulkWrite(
      ids.map((id) => ({
        updateOne: { filter: { _id: id }, update: { $set: { revokedAt: new Date(), revokedReason: reason } } },
      })),
    );
    await dropLiveSessions(ids);
    return ids.length;
  },
};
