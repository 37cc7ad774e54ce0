/** Signing in, refreshing and signing out, and the caller's own account and password. */
import { verify, hash } from "@node-rs/argon2";
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import { config } from "../../../shared/config";
import type { AccountView, LoginParams, LoginResult, TokenPair } from "../../../shared/contracts/accounts";
import { UnauthorizedError, fieldError } from "../../../shared/errors";
import { loginFailed, loginGate, loginSucceeded } from "../../../shared/login-limits";
import { dropLiveSessions, newToken, putLiveSession, setLiveUser, splitToken } from "../../../shared/sessions";
import type { AccountDoc, SessionDoc } from "../data/models";
import { ARGON, PASSWORD } from "../passwords";
import type { Ctx, This } from "../types";
import { authUser, toView } from "../views";

export const sessionActions: Service.ServiceActionsSchema<This> = {
  // Routed by the gateway's rate-limited login route, not auto-aliased.
  login: {
    auth: "public",
    params: { $$strict: true, username: "string|trim|min:1|max:64", password: PASSWORD },
    async handler(this: This, ctx: Ctx<LoginParams>): Promise<LoginResult> {
      const { username, password } = ctx.params;
      const account = await this.Accounts.findOne({ $or: [{ username }, { phone: username }] }).lean<AccountDoc>();
      const now = new Date();
      const fail = async (reason: string, type = "LOGIN_FAILED", message = "用户名或密码错误"): Promise<never> => {
        await audit(
          ctx,
          "auth.login",
          "failure",
          `user:${username}`,
          { reason },
          {
            accountId: account?._id ?? null,
            name: account?.name ?? null,
            orgId: account?.orgId ?? null,
          },
        );
        throw new UnauthorizedError(message, type);
      };
      // The limits are per account and client IP (shared/login-limits.ts): guessing from one place
      // does not lock the account out of another.
      const ip = ctx.meta.ip ?? "unknown";
      const key = account?._id ?? `user:${username.toLowerCase()}`;
      const gate = await loginGate(key, ip, account?.passwordChangedAt);
      if (!gate.open && gate.why === "locked")
        return fail(
          "locked",
          "ACCOUNT_LOCKED",
          `账号在此设备上已锁定，请 ${Math.ceil(gate.retryAfterS / 60)} 分钟后再试或联系管理员`,
        );
      if (!gate.open) return fail("slowed", "LOGIN_SLOWED", `该账号近期登录失败过多，请 ${gate.retryAfterS} 秒后再试`);
      if (!account) {
        await verify(this.dummyHash, password).catch(() => false);
        await loginFailed(key, ip);
        return fail("unknown user");
      }
      if (account.lockedUntil && account.lockedUntil > now) {
        const minutes = Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 60_000);
        return fail("locked", "ACCOUNT_LOCKED", `账号已锁定，请 ${minutes} 分钟后再试或联系管理员`);
      }
      if (!(await verify(account.passwordHash, password))) {
        if (await loginFailed(key, ip))
          return fail(
            "wrong password; locked",
            "ACCOUNT_LOCKED",
            `密码连续错误 ${config().lockoutFailures} 次，账号在此设备上已锁定 ${config().lockoutWindowMinutes} 分钟`,
          );
        return fail("wrong password");
      }
      if (account.disabled) return fail("disabled", "ACCOUNT_DISABLED", "账号已停用，请联系管理员");
      await this.Accounts.updateOne(
        { _id: account._id },
        { $set: { failedCount: 0, failWindowStart: null, lockedUntil: null } },
      );
      await loginSucceeded(key, ip);
      const result = await this.startSession(ctx, account);
      await audit(ctx, "auth.login", "success", `account:${account._id}`, undefined, {
        accountId: account._id,
        name: account.name,
        orgId: account.orgId,
      });
      return result;
    },
  },

  refresh: {
    rest: "POST /refresh",
    auth: "public",
    params: { $$strict: true, refreshToken: "string|min:10|max:200" },
    async handler(this: This, ctx: Ctx<{ refreshToken: string }>): Promise<TokenPair> {
      const parts = splitToken(ctx.params.refreshToken);
      const expired = (): never => {
        throw new UnauthorizedError("登录已过期，请重新登录", "SESSION_EXPIRED");
      };
      if (!parts) return expired();
      const session = await this.Sessions.findById(parts.sessionId).lean<SessionDoc>();
      if (!session || session.revokedAt || session.expiresAt < new Date()) return expired();
      if (session.previousRefreshHashes.includes(parts.secretHash)) {
        // A rotated-away token came back: someone holds a copy. End the session for both.
        await this.revokeSessions(session.accountId, "refresh token reuse");
        return expired();
      }
      if (session.refreshHash !== parts.secretHash) return expired();
      const account = await this.Accounts.findById(session.accountId).lean<AccountDoc>();
      if (!account || account.disabled) return expired();
      const refresh = newToken(session._id);
      const rotated = await this.Sessions.updateOne(
        { _id: session._id, refreshHash: parts.secretHash, revokedAt: null },
        { $set: { refreshHash: refresh.hash }, $push: { previousRefreshHashes: parts.secretHash } },
      );
      if (rotated.modifiedCount !== 1) return expired();
      const access = newToken(session._id);
      const accessExpiresAt = await putLiveSession(authUser(account, session._id), access.hash);
      return { accessToken: access.token, refreshToken: refresh.token, accessExpiresAt };
    },
  },

  logout: {
    rest: "POST /logout",
    beforePasswordChange: true,
    params: { $$strict: true },
    async handler(this: This, ctx: Ctx<object>): Promise<{ ok: true }> {
      const user = ctx.meta.user!;
      await this.Sessions.updateOne(
        { _id: user.sessionId, revokedAt: null },
        { $set: { revokedAt: new Date(), revokedReason: "logout" } },
      );
      await dropLiveSessions([user.sessionId]);
      await audit(ctx, "auth.logout", "success", `account:${user.accountId}`);
      return { ok: true };
    },
  },

  me: {
    rest: "GET /me",
    beforePasswordChange: true,
    params: { $$strict: true },
    async handler(this: This, ctx: Ctx<object>): Promise<AccountView> {
      return toView(await this.loadAccount(ctx.meta.user!.accountId));
    },
  },

  changePassword: {
    rest: "POST /password",
    beforePasswordChange: true,
    params: { $$strict: true, currentPassword: PASSWORD, newPassword: PASSWORD },
    async handler(this: This, ctx: Ctx<{ currentPassword: string; newPassword: string }>): Promise<{ ok: true }> {
      const user = ctx.meta.user!;
      const account = await this.loadAccount(user.accountId);
      if (!(await verify(account.passwordHash, ctx.params.currentPassword))) {
        await audit(ctx, "auth.password.change", "failure", `account:${account._id}`, {
          reason: "wrong current password",
        });
        throw fieldError("currentPassword", "当前密码不正确");
      }
      this.policyError(ctx.params.newPassword, "newPassword", account.username);
      if (ctx.params.currentPassword === ctx.params.newPassword)
        throw fieldError("newPassword", "新密码不能与当前密码相同");
      await this.Accounts.updateOne(
        { _id: account._id },
        {
          $set: {
            passwordHash: await hash(ctx.params.newPassword, ARGON),
            passwordChangedAt: new Date(),
            mustChangePassword: false,
          },
        },
      );
      await this.revokeSessions(account._id, "password changed", user.sessionId);
      // This session stays, and everything is open to it now.
      const { mustChangePassword: _done, ...rest } = user;
      await setLiveUser(rest);
      await audit(ctx, "auth.password.change", "success", `account:${account._id}`);
      return { ok: true };
    },
  },
};
