/** Who reviews information reports and publicity, and who may publish notices (as the notices service decides). */
import { CITY_ORG_ID, canAdministerOrg, hasRole, isCityWide, type AuthUser } from "@shared/auth";
import type { Lookup } from "./hooks";

/** Reviews the items of its own organisation: office (办公室) members, county administrators, system admins. */
export function isOffice(user: AuthUser, lookup: Pick<Lookup, "division">): boolean {
  if (hasRole(user, "sys_admin")) return true;
  if (user.divisionId && lookup.division(user.divisionId)?.kind === "office") return true;
  return user.orgId !== CITY_ORG_ID && hasRole(user, "county_admin");
}

/** May publish a notice to some scope (then sees what was sent and its read receipts). */
export const mayPublish = (user: AuthUser, lookup: Pick<Lookup, "division">): boolean =>
  isCityWide(user) || canAdministerOrg(user, user.orgId) || isOffice(user, lookup) || hasRole(user, "division_head");

/** A command id for a mutating notices call: a repeated click sends the same id, so it lands once. */
export const commandId = (): string => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
