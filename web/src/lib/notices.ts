/** Who may publish notices (as the notices service decides). */
import { canAdministerOrg, hasRole, isCityWide, type AuthUser } from "@shared/auth";
import type { Lookup } from "./hooks";
import { isOffice } from "./info";

/** May publish a notice to some scope (then sees what was sent and its read receipts). */
export const mayPublish = (user: AuthUser, lookup: Pick<Lookup, "division">): boolean =>
  isCityWide(user) || canAdministerOrg(user, user.orgId) || isOffice(user, lookup) || hasRole(user, "division_head");
