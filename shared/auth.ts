/**
 * Who is calling, their roles, and the organisation scope rules the named permissions
 * (shared/permissions.ts) are built from.
 */

export const ROLES = ["staff", "division_head", "hr_admin", "leader", "county_admin", "sys_admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  staff: "干部职工",
  division_head: "处室负责人",
  hr_admin: "人教处管理员",
  leader: "局领导",
  county_admin: "县区管理员",
  sys_admin: "系统管理员",
};

/** The city bureau's organisation id; its HR admins and leaders act across all organisations. */
export const CITY_ORG_ID = "city";

/** The signed-in user, as carried in ctx.meta.user. */
export interface AuthUser {
  accountId: string;
  sessionId: string;
  staffId: string | null;
  name: string;
  orgId: string;
  divisionId: string | null;
  roles: Role[];
  /** Signed in with a one-time, reset or expired password: only the password change and sign-out are open. */
  mustChangePassword?: boolean;
}

export interface CallMeta {
  user?: AuthUser;
  /** Set by trusted in-process callers (seeders, cron jobs); the gateway never sets it. */
  system?: boolean;
  ip?: string;
  requestId?: string;
}

/** Declared on an action as `auth`. Absent means: any signed-in member. */
export type AuthRule =
  | "public" // no sign-in needed (login, health)
  | "internal" // only other services and system jobs, never a user request
  | { roles: Role[] };

export const hasRole = (user: AuthUser, ...roles: Role[]): boolean => roles.some((r) => user.roles.includes(r));

/** Acts across every organisation: city HR, bureau leaders, system admins. */
export function isCityWide(user: AuthUser): boolean {
  if (hasRole(user, "sys_admin", "leader")) return true;
  return user.orgId === CITY_ORG_ID && hasRole(user, "hr_admin");
}

/** May administer people and data of this organisation (HR, county admin, city-wide roles). */
export function canAdministerOrg(user: AuthUser, orgId: string): boolean {
  if (isCityWide(user)) return true;
  return user.orgId === orgId && hasRole(user, "hr_admin", "county_admin");
}
