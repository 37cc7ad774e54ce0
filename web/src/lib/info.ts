/** Who reviews information reports and publicity: the shared `info.review` permission, for the user's own organisation. */
import type { AuthUser } from "@shared/auth";
import { may, officeOrgOf } from "@shared/permissions";
import type { Lookup } from "./hooks";

/** The organisation whose office division (办公室) the user belongs to, if any. */
export const officeOf = (user: AuthUser, lookup: Pick<Lookup, "division">): string | null =>
  officeOrgOf(user, user.divisionId ? lookup.division(user.divisionId) : undefined);

/** Reviews the items of its own organisation: office (办公室) members, county administrators, system admins. */
export const isOffice = (user: AuthUser, lookup: Pick<Lookup, "division">): boolean =>
  may(user, "info.review", { orgId: user.orgId, officeOf: officeOf(user, lookup) });
