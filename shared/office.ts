/**
 * Who "the office" (办公室) of an organisation is, as the info and notices services both decide it:
 * the members of its office division, its county administrator, and system administrators; trusted
 * system calls act as every office. Pure functions over the caller, unit-tested (test/unit/info).
 */
import { CITY_ORG_ID, hasRole, isCityWide, type AuthUser, type CallMeta } from "./auth";
import type { OrgRefs } from "./org-refs";

/** The caller as the rules see it. */
export interface Actor {
  user: AuthUser | null;
  /** A trusted system call (seeder, another service's job). */
  system: boolean;
  staffId: string | null;
  name: string;
  /** The organisation whose office division the caller belongs to, if any. */
  officeOf: string | null;
}

export const SYSTEM_ACTOR: Actor = { user: null, system: true, staffId: null, name: "系统", officeOf: null };

/** The caller of an action; `refs` (organisations and divisions) is asked only for a caller in a division. */
export async function callerActor(meta: CallMeta, refs: () => Promise<OrgRefs>): Promise<Actor> {
  const user = meta.user;
  if (!user) return SYSTEM_ACTOR;
  const division = user.divisionId ? (await refs()).divisions.get(user.divisionId) : undefined;
  const officeOf = division?.kind === "office" && division.orgId === user.orgId ? user.orgId : null;
  return { user, system: !!meta.system, staffId: user.staffId, name: user.name, officeOf };
}

/** Reviews the organisation's items: its office members, its county administrator, system admins. */
export function isOfficeOf(a: Actor, orgId: string): boolean {
  if (a.system) return true;
  const u = a.user;
  if (!u) return false;
  if (hasRole(u, "sys_admin")) return true;
  if (a.officeOf === orgId) return true;
  return u.orgId === orgId && orgId !== CITY_ORG_ID && hasRole(u, "county_admin");
}

/** Sees every organisation's pending items (city-wide roles and trusted calls). */
export const seesAll = (a: Actor): boolean => a.system || (!!a.user && isCityWide(a.user));
