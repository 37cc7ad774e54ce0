/**
 * Who may see and handle what in the notices service. "The office" of an organisation is the members
 * of its office division (办公室), its county administrator, and system administrators; trusted system
 * calls act as every office. Pure functions over the caller and the item, unit-tested.
 */
import { CITY_ORG_ID, canAdministerOrg, hasRole, isCityWide, type AuthUser } from "../../shared/auth";
import type { NoticeScope, ReviewStage } from "../../shared/contracts/notices";

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

/** The desk a report goes to first: its county office, or the city office for city reports. */
export const firstStage = (orgId: string): ReviewStage => (orgId === CITY_ORG_ID ? "city" : "county");

/** Reviews the organisation's items: its office members, its county administrator, system admins. */
export function isOfficeOf(a: Actor, orgId: string): boolean {
  if (a.system) return true;
  const u = a.user;
  if (!u) return false;
  if (hasRole(u, "sys_admin")) return true;
  if (a.officeOf === orgId) return true;
  return u.orgId === orgId && orgId !== CITY_ORG_ID && hasRole(u, "county_admin");
}

/** Reviews a report on this desk: the county office of its organisation, or the city office. */
export const reviewsStage = (a: Actor, stage: ReviewStage, orgId: string): boolean =>
  isOfficeOf(a, stage === "city" ? CITY_ORG_ID : orgId);

/** Sees every organisation's pending items (city-wide roles and trusted calls). */
export const seesAll = (a: Actor): boolean => a.system || (!!a.user && isCityWide(a.user));

interface ReportFacts {
  authorStaffId: string;
  orgId: string;
  status: string;
  /** Sent up to the city office at some point (always true of city reports once submitted). */
  reachedCity: boolean;
}

/** An adopted report is public; a draft is its author's; otherwise the author and its reviewers. */
export function seesReport(a: Actor, r: ReportFacts): boolean {
  if (a.staffId && a.staffId === r.authorStaffId) return true;
  if (r.status === "draft") return false;
  if (r.status === "adopted") return true;
  if (seesAll(a) || isOfficeOf(a, r.orgId)) return true;
  return r.reachedCity && isOfficeOf(a, CITY_ORG_ID);
}

interface PublicityFacts {
  authorStaffId: string;
  recordedByStaffId: string | null;
  orgId: string;
  status: string;
}

/** A verified item is public; otherwise its author, whoever recorded it, its office and city-wide roles. */
export function seesPublicity(a: Actor, p: PublicityFacts): boolean {
  if (p.status === "verified") return true;
  if (a.staffId && (a.staffId === p.authorStaffId || a.staffId === p.recordedByStaffId)) return true;
  return seesAll(a) || isOfficeOf(a, p.orgId);
}

/**
 * May publish a notice to the scope: the whole bureau is the city's (city office, city-wide roles);
 * an organisation is its office's and administrators'; a division is also its own head's.
 * `scopeOrgId` is the organisation of the scope (of the division, for a division scope).
 */
export function mayPublishTo(a: Actor, scope: NoticeScope, scopeOrgId: string): boolean {
  if (a.system) return true;
  const u = a.user;
  if (!u) return false;
  if (scope.type === "bureau") return isCityWide(u) || isOfficeOf(a, CITY_ORG_ID);
  if (canAdministerOrg(u, scopeOrgId) || isOfficeOf(a, scopeOrgId)) return true;
  return scope.type === "division" && hasRole(u, "division_head") && u.divisionId === scope.id;
}

/** Manages a published notice (sees its receipts): its publisher, or anyone who may publish to its scope. */
export function managesNotice(
  a: Actor,
  n: { scope: NoticeScope; scopeOrgId: string; publisherStaffId: string | null },
): boolean {
  if (a.staffId && a.staffId === n.publisherStaffId) return true;
  return mayPublishTo(a, n.scope, n.scopeOrgId);
}
