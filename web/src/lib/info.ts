/** Who reviews information reports and publicity (as the info service decides, see shared/office.ts). */
import { CITY_ORG_ID, hasRole, type AuthUser } from "@shared/auth";
import type { Lookup } from "./hooks";

/** Reviews the items of its own organisation: office (办公室) members, county administrators, system admins. */
export function isOffice(user: AuthUser, lookup: Pick<Lookup, "division">): boolean {
  if (hasRole(user, "sys_admin")) return true;
  if (user.divisionId && lookup.division(user.divisionId)?.kind === "office") return true;
  return user.orgId !== CITY_ORG_ID && hasRole(user, "county_admin");
}
