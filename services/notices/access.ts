/**
 * Who may publish notices and see their receipts. "The office" of an organisation is
 * shared/office.ts's (its office division, its county administrator, system administrators; trusted
 * system calls act as every office). Pure functions over the caller and the notice, unit-tested.
 */
import type { NoticeScope } from "../../shared/contracts/notices";
import type { Actor } from "../../shared/office";
import { may } from "../../shared/permissions";

/**
 * May publish a notice to the scope (`notices.publish`): the whole bureau is the city's (city office,
 * city-wide roles); an organisation is its office's and administrators'; a division is also its own head's.
 * `scopeOrgId` is the organisation of the scope (of the division, for a division scope).
 */
export function mayPublishTo(a: Actor, scope: NoticeScope, scopeOrgId: string): boolean {
  if (a.system) return true;
  return !!a.user && may(a.user, "notices.publish", { scope, scopeOrgId, officeOf: a.officeOf });
}

/** Manages a published notice (sees its receipts): its publisher, or anyone who may publish to its scope. */
export function managesNotice(
  a: Actor,
  n: { scope: NoticeScope; scopeOrgId: string; publisherStaffId: string | null },
): boolean {
  if (a.staffId && a.staffId === n.publisherStaffId) return true;
  return mayPublishTo(a, n.scope, n.scopeOrgId);
}
