/**
 * Who reviews and who sees what in the info service. "The office" of an organisation is
 * shared/office.ts's (its office division, its county administrator, system administrators; trusted
 * system calls act as every office). Pure functions over the caller and the item, unit-tested.
 */
import { CITY_ORG_ID } from "../../shared/auth";
import type { ReviewStage } from "../../shared/contracts/info";
import { isOfficeOf, seesAll, type Actor } from "../../shared/office";

/** The desk a report goes to first: its county office, or the city office for city reports. */
export const firstStage = (orgId: string): ReviewStage => (orgId === CITY_ORG_ID ? "city" : "county");

/** Reviews a report on this desk: the county office of its organisation, or the city office. */
export const reviewsStage = (a: Actor, stage: ReviewStage, orgId: string): boolean =>
  isOfficeOf(a, stage === "city" ? CITY_ORG_ID : orgId);

/**
 * The caller's own item (they wrote it, or recorded it for its author): reviewing it is refused, so
 * every point is awarded by a second person.
 */
export const ownsItem = (a: Actor, item: { authorStaffId: string; recordedByStaffId?: string | null }): boolean =>
  !!a.staffId && (a.staffId === item.authorStaffId || a.staffId === item.recordedByStaffId);

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
