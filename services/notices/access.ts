/**
 * Who may publish notices and see their receipts. "The office" of an organisation is
 * shared/office.ts's (its office division, its county administrator, system administrators; trusted
 * system calls act as every office). Pure functions over the caller and the notice, unit-tested.
 */
import { CITY_ORG_ID, canAdministerOrg, hasRole, isCityWide } from "../../shared/auth";
import type { NoticeScope } from "../../shared/contracts/notices";
import { isOfficeOf, type Actor } from "../../shared/office";

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
