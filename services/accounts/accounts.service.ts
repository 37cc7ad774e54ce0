/**
 * Accounts, sign-in and sessions: argon2id passwords, lockout after repeated failures,
 * short-lived access tokens with rotating refresh tokens, and revocation that takes effect at once.
 */
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { Context, ServiceSchema } from "moleculer";
import type { Connection, Model } from "mongoose";
import { audit } from "../../shared/audit";
import { canAdministerOrg, isCityWide, ROLES, type AuthUser, type CallMeta, type Role } from "../../shared/auth";
import { config } from "../../shared/config";
import {
  DEMO_PASSWORD,
  DEMO_USERNAMES,
  type AccountView,
  type LoginParams,
  type LoginResult,
  type TokenPair,
} from "../../shared/contracts/accounts";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import { dbMixin } from "../../shared/db";
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, fieldError } from "../../shared/errors";
import type { DomainEvent } from "../../shared/events";
import { dropLiveSessions, newToken, putLiveSession, splitToken } from "../../shared/sessions";
import { accountModel, sessionModel, type AccountDoc, type SessionDoc } from "./accounts.model";
import { checkPassword } from "./password-policy";

interface Vars {
  db: Connection;
  Accounts: Model<AccountDoc>;
  Sessions: Model<SessionDoc>;
  /** Verified against when the username is unknown, so timing doesn't reveal which usernames exist. */
  dummyHash: string;
}

interface Methods {
  startSession(ctx: Context<unknown, CallMeta>, account: AccountDoc): Promise<LoginResult>;
  revokeSessions(accountId: string, reason: string, exceptSessionId?: string): Promise<number>;
  recordFailure(account: AccountDoc): Promise<boolean>;
  loadAccount(id: string): Promise<AccountDoc>;
  assertCanAdminister(user: AuthUser, account: AccountDoc): void;
  policyError(password: string, field: string, username?: string): void;
}

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

const PASSWORD = "string|min:1|max:200";

export const toView = (a: AccountDoc, now = new Date()): AccountView => ({
  id: a._id,
  username: a.username,
  staffId: a.staffId,
  name: a.name,
  orgId: a.orgId,
  divisionId: a.divisionId,
  roles: a.roles,
  disabled: a.disabled,
  locked: !!a.lockedUntil && a.lockedUntil > now,
  mustChangePassword: a.mustChangePassword,
});

const authUser = (a: AccountDoc, sessionId: string): AuthUser => ({
  accountId: a._id,
  sessionId,
  staffId: a.staffId,
  name: a.name,
  orgId: a.orgId,
  divisionId: a.divisionId,
  roles: a.roles,
});

const AccountsService: ServiceSchema<object, Methods, Vars> = {
  name: "accounts",
  mixins: [dbMixin("accounts")],

  /** Actions */
  actions: {
    // Routed by the gateway's rate-limited login route, not auto-aliased.
    login: {
      auth: "public",
      params: { $$strict: true, username: "string|trim|min:1|max:64", password: PASSWORD },
      async handler(ctx: Context<LoginParams, CallMeta>): Promise<LoginResult> {
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
        if (!account) {
          await verify(this.dummyHash, password).catch(() => false);
          return fail("unknown user");
        }
        if (account.lockedUntil && account.lockedUntil > now) {
          const minutes = Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 60_000);
          return fail("locked", "ACCOUNT_LOCKED", `账号已锁定，请 ${minutes} 分钟后再试或联系管理员`);
        }
        if (!(await verify(account.passwordHash, password))) {
          const locked = await this.recordFailure(account);
          if (locked)
            return fail(
              "wrong password; locked",
              "ACCOUNT_LOCKED",
              `密码连续错误 ${config().lockoutFailures} 次，账号已锁定 ${config().lockoutWindowMinutes} 分钟`,
            );
          return fail("wrong password");
        }
        if (account.disabled) return fail("disabled", "ACCOUNT_DISABLED", "账号已停用，请联系管理员");
        await this.Accounts.updateOne(
          { _id: account._id },
          { $set: { failedCount: 0, failWindowStart: null, lockedUntil: null } },
        );
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
      async handler(ctx: Context<{ refreshToken: string }, CallMeta>): Promise<TokenPair> {
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
      params: { $$strict: true },
      async handler(ctx: Context<object, CallMeta>): Promise<{ ok: true }> {
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
      params: { $$strict: true },
      async handler(ctx: Context<object, CallMeta>): Promise<AccountView> {
        return toView(await this.loadAccount(ctx.meta.user!.accountId));
      },
    },

    changePassword: {
      rest: "POST /password",
      params: { $$strict: true, currentPassword: PASSWORD, newPassword: PASSWORD },
      async handler(ctx: Context<{ currentPassword: string; newPassword: string }, CallMeta>): Promise<{ ok: true }> {
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
        await audit(ctx, "auth.password.change", "success", `account:${account._id}`);
        return { ok: true };
      },
    },

    list: {
      rest: "GET /",
      auth: { roles: ["sys_admin", "hr_admin", "county_admin"] },
      params: {
        $$strict: true,
        orgId: "string|optional|max:40",
        q: "string|optional|trim|max:64",
        limit: "number|optional|integer|min:1|max:200|convert",
        skip: "number|optional|integer|min:0|max:100000|convert",
      },
      async handler(
        ctx: Context<{ orgId?: string; q?: string; limit?: number; skip?: number }, CallMeta>,
      ): Promise<{ items: AccountView[]; total: number }> {
        const user = ctx.meta.user!;
        const orgId = ctx.params.orgId ?? (isCityWide(user) ? undefined : user.orgId);
        if (orgId && !canAdministerOrg(user, orgId)) throw new ForbiddenError();
        const filter: Record<string, unknown> = {};
        if (orgId) filter.orgId = orgId;
        if (ctx.params.q) {
          const q = ctx.params.q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          filter.$or = [{ username: { $regex: `^${q}` } }, { name: { $regex: q } }];
        }
        const [items, total] = await Promise.all([
          this.Accounts.find(filter)
            .sort({ orgId: 1, username: 1 })
            .skip(ctx.params.skip ?? 0)
            .limit(ctx.params.limit ?? 50)
            .lean<AccountDoc[]>(),
          this.Accounts.countDocuments(filter),
        ]);
        return { items: items.map((a) => toView(a)), total };
      },
    },

    setRoles: {
      rest: "PUT /:id/roles",
      auth: { roles: ["sys_admin"] },
      params: {
        $$strict: true,
        id: "string|max:64",
        roles: { type: "array", items: { type: "enum", values: [...ROLES] }, min: 1, max: 6, unique: true },
      },
      async handler(ctx: Context<{ id: string; roles: Role[] }, CallMeta>): Promise<AccountView> {
        const account = await this.loadAccount(ctx.params.id);
        await this.Accounts.updateOne({ _id: account._id }, { $set: { roles: ctx.params.roles } });
        // Roles live in the session; end the sessions so the next sign-in carries the new ones.
        await this.revokeSessions(account._id, "roles changed");
        await audit(ctx, "accounts.roles.change", "success", `account:${account._id}`, {
          from: account.roles,
          to: ctx.params.roles,
        });
        return toView({ ...account, roles: ctx.params.roles });
      },
    },

    setDisabled: {
      rest: "PUT /:id/disabled",
      auth: { roles: ["sys_admin", "hr_admin", "county_admin"] },
      params: { $$strict: true, id: "string|max:64", disabled: "boolean" },
      async handler(ctx: Context<{ id: string; disabled: boolean }, CallMeta>): Promise<AccountView> {
        const account = await this.loadAccount(ctx.params.id);
        this.assertCanAdminister(ctx.meta.user!, account);
        await this.Accounts.updateOne({ _id: account._id }, { $set: { disabled: ctx.params.disabled } });
        if (ctx.params.disabled) await this.revokeSessions(account._id, "account disabled");
        await audit(
          ctx,
          ctx.params.disabled ? "accounts.disable" : "accounts.enable",
          "success",
          `account:${account._id}`,
        );
        return toView({ ...account, disabled: ctx.params.disabled });
      },
    },

    resetPassword: {
      rest: "POST /:id/password",
      auth: { roles: ["sys_admin", "hr_admin", "county_admin"] },
      params: { $$strict: true, id: "string|max:64", newPassword: PASSWORD },
      async handler(ctx: Context<{ id: string; newPassword: string }, CallMeta>): Promise<AccountView> {
        const account = await this.loadAccount(ctx.params.id);
        this.assertCanAdminister(ctx.meta.user!, account);
        this.policyError(ctx.params.newPassword, "newPassword", account.username);
        await this.Accounts.updateOne(
          { _id: account._id },
          {
            $set: {
              passwordHash: await hash(ctx.params.newPassword, ARGON),
              passwordChangedAt: new Date(),
              mustChangePassword: true,
              failedCount: 0,
              failWindowStart: null,
              lockedUntil: null,
            },
          },
        );
        await this.revokeSessions(account._id, "password reset by admin");
        await audit(ctx, "accounts.password.reset", "success", `account:${account._id}`);
        return toView({ ...account, mustChangePassword: true, lockedUntil: null });
      },
    },

    create: {
      rest: "POST /",
      auth: { roles: ["sys_admin", "hr_admin", "county_admin"] },
      params: {
        $$strict: true,
        staffId: "string|max:64",
        username: {
          type: "string",
          // A string, not a RegExp: action schemas travel as JSON to the OpenAPI generator.
          pattern: "^[a-z][a-z0-9_.-]{2,31}$",
          messages: { stringPattern: "用户名须为 3–32 位小写字母、数字或 ._-，以字母开头" },
        },
        password: PASSWORD,
        roles: {
          type: "array",
          items: { type: "enum", values: [...ROLES] },
          min: 1,
          max: 6,
          unique: true,
          optional: true,
        },
      },
      async handler(
        ctx: Context<{ staffId: string; username: string; password: string; roles?: Role[] }, CallMeta>,
      ): Promise<AccountView> {
        const user = ctx.meta.user!;
        const staff = (await ctx.call(
          "personnel.staff.directory",
          { ids: [ctx.params.staffId] },
          { meta: { system: true } },
        )) as DirectoryEntry[];
        if (!staff.length) throw new NotFoundError("STAFF_NOT_FOUND", "未找到该干部");
        const s = staff[0];
        if (!canAdministerOrg(user, s.orgId)) throw new ForbiddenError();
        const roles = ctx.params.roles ?? ["staff"];
        if ((roles.includes("sys_admin") || roles.includes("leader")) && !user.roles.includes("sys_admin"))
          throw fieldError("roles", "只有系统管理员可以授予该角色");
        this.policyError(ctx.params.password, "password", ctx.params.username);
        if (await this.Accounts.exists({ $or: [{ username: ctx.params.username }, { staffId: s.id }] }))
          throw new ConflictError("ACCOUNT_EXISTS", "该用户名或该干部的账号已存在");
        const doc = await this.Accounts.create({
          _id: `a-${randomBytes(6).toString("hex")}`,
          username: ctx.params.username,
          phone: s.phone,
          staffId: s.id,
          name: s.name,
          orgId: s.orgId,
          divisionId: s.divisionId,
          roles,
          passwordHash: await hash(ctx.params.password, ARGON),
          passwordChangedAt: new Date(),
          mustChangePassword: true,
        });
        await audit(ctx, "accounts.create", "success", `account:${doc._id}`, { roles });
        return toView(doc.toObject());
      },
    },

    /** Demo accounts: one login per staff member (username = staff id), plus one per role. */
    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional" },
      async handler(ctx: Context<{ reset?: boolean }, CallMeta>): Promise<{ seeded: boolean; accounts: number }> {
        if (ctx.params.reset) {
          await this.Accounts.deleteMany({});
          await this.Sessions.deleteMany({});
        } else if ((await this.Accounts.estimatedDocumentCount()) > 0) return { seeded: false, accounts: 0 };
        const directory = (await ctx.call(
          "personnel.staff.directory",
          {},
          { meta: { system: true } },
        )) as DirectoryEntry[];
        const people = (await ctx.call("personnel.demo.people", {}, { meta: { system: true } })) as Record<
          Role,
          string
        >;
        const roleOf = new Map<string, Role>(Object.entries(people).map(([role, id]) => [id, role as Role]));
        // One hash for every demo account: hashing 1,500 passwords one by one would take minutes.
        const passwordHash = await hash(DEMO_PASSWORD, ARGON);
        const now = new Date();
        const docs = directory.map((s) => {
          const demoRole = roleOf.get(s.id);
          const roles: Role[] = ["staff"];
          if (s.isDivisionHead) roles.push("division_head");
          if (demoRole && !roles.includes(demoRole)) roles.push(demoRole);
          return {
            _id: `a-${s.id}`,
            username: demoRole ? DEMO_USERNAMES[demoRole] : s.id.toLowerCase(),
            phone: s.phone,
            staffId: s.id,
            name: s.name,
            orgId: s.orgId,
            divisionId: s.divisionId,
            roles,
            passwordHash,
            passwordChangedAt: now,
            disabled: s.status !== "active",
          };
        });
        for (let i = 0; i < docs.length; i += 1000)
          await this.Accounts.insertMany(docs.slice(i, i + 1000), { ordered: false });
        return { seeded: true, accounts: docs.length };
      },
    },
  },

  /** Durable channels */
  channels: {
    "personnel.staff.changed": {
      group: "accounts",
      async handler(event: DomainEvent<"personnel.staff.changed">) {
        const s = event.data;
        // Keep only the newest copy: an older or repeated event matches nothing.
        const res = await this.Accounts.updateOne(
          { staffId: s.staffId, staffVersion: { $lt: s.version } },
          {
            $set: {
              name: s.name,
              orgId: s.orgId,
              divisionId: s.divisionId,
              phone: s.phone,
              staffVersion: s.version,
              ...(s.status !== "active" ? { disabled: true } : {}),
            },
          },
        );
        if (res.modifiedCount && s.status !== "active") {
          const account = await this.Accounts.findOne({ staffId: s.staffId }).lean<AccountDoc>();
          if (account) await this.revokeSessions(account._id, `staff ${s.status}`);
        }
      },
    },
  },

  /** Methods */
  methods: {
    async startSession(ctx: Context<unknown, CallMeta>, account: AccountDoc): Promise<LoginResult> {
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
      const maxAge = config().passwordMaxAgeDays;
      const expiredPassword = maxAge > 0 && now - account.passwordChangedAt.getTime() > maxAge * 86_400_000;
      return {
        accessToken: access.token,
        refreshToken: refresh.token,
        accessExpiresAt,
        user,
        mustChangePassword: account.mustChangePassword || expiredPassword,
      };
    },

    async revokeSessions(accountId: string, reason: string, exceptSessionId?: string): Promise<number> {
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

    /** Counts a failed login atomically; returns true when this failure locks the account. */
    async recordFailure(account: AccountDoc): Promise<boolean> {
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
      await this.Accounts.updateOne(
        { _id: account._id },
        { $set: { lockedUntil: new Date(now.getTime() + windowMs) } },
      );
      return true;
    },

    async loadAccount(id: string): Promise<AccountDoc> {
      const account = await this.Accounts.findById(id).lean<AccountDoc>();
      if (!account) throw new NotFoundError("ACCOUNT_NOT_FOUND", "未找到该账号");
      return account;
    },

    assertCanAdminister(user: AuthUser, account: AccountDoc): void {
      if (!canAdministerOrg(user, account.orgId)) throw new ForbiddenError("只能管理本单位的账号");
    },

    policyError(password: string, field: string, username?: string): void {
      const reason = checkPassword(
        password,
        { minLength: config().passwordMinLength, requireClasses: config().passwordRequireClasses },
        username,
      );
      if (reason) throw fieldError(field, reason);
    },
  },

  created() {
    this.Accounts = accountModel(this.db);
    this.Sessions = sessionModel(this.db);
    this.dummyHash = "";
  },

  async started() {
    this.dummyHash = await hash(randomBytes(16).toString("hex"), ARGON);
  },
};

export default AccountsService;
