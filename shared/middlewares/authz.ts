/**
 * Enforces each action's declared `auth` rule inside the service that owns the action,
 * so a call that bypasses the gateway is checked all the same.
 */
import type { ActionSchema, Context, Middleware } from "moleculer";
import type { CallMeta } from "../auth";
import { hasRole } from "../auth";
import { ForbiddenError, UnauthorizedError } from "../errors";

export function checkAuth(action: ActionSchema, meta: CallMeta): void {
  const rule = action.auth;
  if (rule === "public" || meta.system) return;
  if (rule === "internal") {
    // A user-facing request carries a user; an internal action never serves one directly.
    if (meta.user) throw new ForbiddenError("内部接口，不对用户开放", "INTERNAL_ONLY");
    throw new UnauthorizedError();
  }
  if (!meta.user) throw new UnauthorizedError();
  if (meta.user.mustChangePassword && !action.beforePasswordChange)
    throw new ForbiddenError("请先修改密码后再使用系统", "PASSWORD_CHANGE_REQUIRED");
  if (rule && !hasRole(meta.user, ...rule.roles)) throw new ForbiddenError();
}

export const AuthzMiddleware: Middleware = {
  name: "Authz",
  localAction(next, action) {
    const schema = action as unknown as ActionSchema;
    // Moleculer's own $node actions are not ours to guard.
    if (schema.name?.startsWith("$")) return next;
    return (ctx: Context<unknown, CallMeta>) => {
      checkAuth(schema, ctx.meta);
      return (next as (c: Context) => Promise<unknown>)(ctx);
    };
  },
};
