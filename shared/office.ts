/**
 * Who "the office" (办公室) of an organisation is, as the info and notices services both decide it:
 * the members of its office division, its county administrator, and system administrators; trusted
 * system calls act as every office. Pure functions over the caller, unit-tested (test/unit/info).
 */
import { isCityWide, type AuthUser, type CallMeta } from "./auth";
import type { OrgRefs } from "./org-refs";
import { may, officeOrgOf } from "./permissions";

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
  return { user, system: !!meta.system, staffId: user.staffId, name: user.name, officeOf: officeOrgOf(user, division) };
}

/** Reviews the organisation's items (permission `info.review`): its office members, its county administrator, system admins. */
export function isOfficeOf(a: Actor, orgId: string): boolean {
  if (a.system) return true;
  return !!a.user && may(a.user, "info.review", { orgId, officeOf: a.officeOf });
}

/** Sees every organisation's pending items (city-wide roles and trusted calls). */
export const seesAll = (a: Actor): boolean => a.system || (!!a.user && isCityWide(a.user));
