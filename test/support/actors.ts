/** Callers of the info and notices services' rules: staff, offices and administrators of two counties and the city. */
import type { AuthUser, Role } from "../../shared/auth";
import type { Actor } from "../../shared/office";

function actor(
  staffId: string,
  orgId: string,
  divisionId: string,
  roles: Role[],
  officeOf: string | null = null,
): Actor {
  const user: AuthUser = {
    accountId: `a-${staffId}`,
    sessionId: "s",
    staffId,
    name: staffId,
    orgId,
    divisionId,
    roles,
  };
  return { user, system: false, staffId, name: staffId, officeOf };
}

export const zbStaff = actor("zb-staff", "zhangbei", "zhangbei-budget", ["staff"]);
export const zbOffice = actor("zb-office", "zhangbei", "zhangbei-office", ["staff"], "zhangbei");
export const zbAdmin = actor("zb-admin", "zhangbei", "zhangbei-general", ["county_admin"]);
export const kbOffice = actor("kb-office", "kangbao", "kangbao-office", ["staff"], "kangbao");
export const cityOffice = actor("city-office", "city", "city-office", ["staff"], "city");
export const cityStaff = actor("city-staff", "city", "city-budget", ["staff"]);
export const cityHead = actor("city-head", "city", "city-budget", ["division_head"]);
export const leader = actor("leader", "city", "city-leadership", ["leader"]);
export const sysAdmin = actor("admin", "city", "city-it", ["sys_admin"]);
export const zbHr = actor("zb-hr", "zhangbei", "zhangbei-hr", ["hr_admin"]);
