/** Administering accounts: listing, creating, roles, disabling and password resets. */
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import { isCityWide, ROLES, type Role } from "../../../shared/auth";
import type { AccountView } from "../../../shared/contracts/accounts";
import { call } from "../../../shared/contracts/actions";
import { ConflictError, ForbiddenError, NotFoundError } from "../../../shared/errors";
import { may, rolesOf } from "../../../shared/permissions";
import type { AccountDoc } from "../data/models";
import { ARGON, PASSWORD } from "../passwords";
import type { Ctx, This } from "../types";
import { toView } from "../views";

export const adminActions: Service.ServiceActionsSchema<This> = {
  list: {
    rest: "GET /",
    auth: rolesOf("accounts.administer"),
    params: {
      $$strict: true,
      orgId: "string|optional|max:40",
      q: "string|optional|trim|max:64",
      limit: "number|optional|integer|min:1|max:200|convert",
      skip: "number|optional|integer|min:0|max:100000|convert",
    },
    async handler(
      this: This,
      ctx: Ctx<{ orgId?: string; q?: string; limit?: number; skip?: number }>,
    ): Promise<{ items: AccountView[]; total: number }> {
      const user = ctx.meta.user!;
      const orgId = ctx.params.orgId ?? (isCityWide(user) ? undefined : user.orgId);
      if (orgId && !may(user, "accounts.administer", { orgId })) throw new ForbiddenError();
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
    auth: rolesOf("accounts.manage"),
    params: {
      $$strict: true,
      id: "string|max:64",
      roles: { type: "array", items: { type: "enum", values: [...ROLES] }, min: 1, max: 6, unique: true },
    },
    async handler(this: This, ctx: Ctx<{ id: string; roles: Role[] }>): Promise<AccountView> {
      const user = ctx.meta.user!;
      const account = await this.loadAccount(ctx.params.id);
      this.assertCanAdminister(user, account);
      this.assertCanGrant(user, account.orgId, ctx.params.roles);
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
    auth: rolesOf("accounts.manage"),
    params: { $$strict: true, id: "string|max:64", disabled: "boolean" },
    async handler(this: This, ctx: Ctx<{ id: string; disabled: boolean }>): Promise<AccountView> {
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
    auth: rolesOf("accounts.manage"),
    params: { $$strict: true, id: "string|max:64", newPassword: PASSWORD },
    async handler(this: This, ctx: Ctx<{ id: string; newPassword: string }>): Promise<AccountView> {
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
    auth: rolesOf("accounts.grant"),
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
      this: This,
      ctx: Ctx<{ staffId: string; username: string; password: string; roles?: Role[] }>,
    ): Promise<AccountView> {
      const user = ctx.meta.user!;
      const staff = await call(
        ctx,
        "personnel.staff.directory",
        { ids: [ctx.params.staffId] },
        { meta: { system: true } },
      );
      if (!staff.length) throw new NotFoundError("STAFF_NOT_FOUND", "未找到该干部");
      const s = staff[0];
      const roles = ctx.params.roles ?? ["staff"];
      this.assertCanGrant(user, s.orgId, roles);
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
};
