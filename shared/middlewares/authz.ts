/**
 * Enforces each action's declared `auth` rule inside the service that owns the action,
 * so a call that bypasses the gateway is checked all the same.
 */
import type { ActionSchema, CallingOptions, Context, Middleware } from "moleculer";
import type { CallMeta } from "../auth";
import { hasRole } from "../auth";
import { ForbiddenError, UnauthorizedError } from "../errors";
import { provesSystem, systemProof } from "../service-identity";

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

type CallFn = (name: string, params?: unknown, opts?: CallingOptions) => Promise<unknown> & { ctx?: Context };
type SystemMeta = CallMeta & { $systemProof?: string };

export const AuthzMiddleware: Middleware = {
  name: "Authz",

  /**
   * Outgoing: a call that will carry `system` gets its proof (shared/service-identity.ts). And
   * Moleculer merges a sub-call's meta back into the caller's: a `ctx.call(…, { meta: { system: true } })`
   * from a user's request would leave the rest of that request running as the system. The sub-call's
   * `system` (and its proof) are taken out before that merge.
   */
  call: ((next: CallFn): CallFn =>
    (name, params, opts) => {
      const parent = opts?.parentCtx?.meta as SystemMeta | undefined;
      const own = opts?.meta as SystemMeta | undefined;
      const system = own?.system ?? parent?.system;
      if (!system) return next(name, params, opts);
      const p = next(name, params, { ...opts, meta: { ...own, system: true, $systemProof: systemProof(name) } });
      if (parent?.system) return p;
      const child = p.ctx;
      const strip = <T>(v: T): T => {
        if (child) {
          delete (child.meta as SystemMeta).system;
          delete (child.meta as SystemMeta).$systemProof;
        }
        return v;
      };
      const q = p.then(strip, (err: unknown) => Promise.reject(strip(err))) as ReturnType<CallFn>;
      q.ctx = child;
      return q;
    }) as unknown as Middleware["call"],

  localAction(next, action) {
    const schema = action as unknown as ActionSchema;
    // Moleculer's own $node actions are not ours to guard.
    if (schema.name?.startsWith("$")) return next;
    // async: a refusal is a rejected promise, as every other failure of a call, never a synchronous throw.
    return async (ctx: Context<unknown, SystemMeta>) => {
      if (ctx.meta.system && !provesSystem(ctx.meta.$systemProof, schema.name ?? ""))
        throw new ForbiddenError("系统调用未能证明服务身份", "SERVICE_IDENTITY");
      checkAuth(schema, ctx.meta);
      return (next as (c: Context) => Promise<unknown>)(ctx);
    };
  },
};
