import type { AuthUser, Role } from "../../../shared/auth";
import {
  SYSTEM_ACTOR,
  isOfficeOf,
  managesNotice,
  mayPublishTo,
  reviewsStage,
  seesPublicity,
  seesReport,
  type Actor,
} from "../../../services/notices/access";

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

const zbStaff = actor("zb-staff", "zhangbei", "zhangbei-budget", ["staff"]);
const zbOffice = actor("zb-office", "zhangbei", "zhangbei-office", ["staff"], "zhangbei");
const zbAdmin = actor("zb-admin", "zhangbei", "zhangbei-general", ["county_admin"]);
const kbOffice = actor("kb-office", "kangbao", "kangbao-office", ["staff"], "kangbao");
const cityOffice = actor("city-office", "city", "city-office", ["staff"], "city");
const cityStaff = actor("city-staff", "city", "city-budget", ["staff"]);
const cityHead = actor("city-head", "city", "city-budget", ["division_head"]);
const leader = actor("leader", "city", "city-leadership", ["leader"]);
const sysAdmin = actor("admin", "city", "city-it", ["sys_admin"]);
const zbHr = actor("zb-hr", "zhangbei", "zhangbei-hr", ["hr_admin"]);

const report = (o: Partial<{ status: string; reachedCity: boolean; orgId: string }> = {}) => ({
  authorStaffId: "zb-staff",
  orgId: "zhangbei",
  status: "submitted",
  reachedCity: false,
  ...o,
});

describe("who is the office", () => {
  it("is the office division's members, the county admin and system admins, each for their own organisation", () => {
    expect(isOfficeOf(zbOffice, "zhangbei")).toBe(true);
    expect(isOfficeOf(zbAdmin, "zhangbei")).toBe(true);
    expect(isOfficeOf(sysAdmin, "kangbao")).toBe(true);
    expect(isOfficeOf(SYSTEM_ACTOR, "kangbao")).toBe(true);
    expect(isOfficeOf(kbOffice, "zhangbei")).toBe(false);
    expect(isOfficeOf(zbStaff, "zhangbei")).toBe(false);
    expect(isOfficeOf(zbHr, "zhangbei")).toBe(false);
    expect(isOfficeOf(leader, "city")).toBe(false);
    expect(isOfficeOf(zbAdmin, "city")).toBe(false);
  });

  it("reviews a county report on the county desk, and only the city office on the city desk", () => {
    expect(reviewsStage(zbOffice, "county", "zhangbei")).toBe(true);
    expect(reviewsStage(zbOffice, "city", "zhangbei")).toBe(false);
    expect(reviewsStage(cityOffice, "city", "zhangbei")).toBe(true);
    expect(reviewsStage(cityOffice, "county", "zhangbei")).toBe(false);
    expect(reviewsStage(kbOffice, "county", "zhangbei")).toBe(false);
  });
});

describe("who sees a report", () => {
  it("when it is a draft, then only its author", () => {
    for (const a of [zbOffice, cityOffice, sysAdmin, leader])
      expect(seesReport(a, report({ status: "draft" }))).toBe(false);
    expect(seesReport(zbStaff, report({ status: "draft" }))).toBe(true);
  });

  it("when pending at the county, then the author, the county office and city-wide roles, not the city office or others", () => {
    const r = report();
    expect([zbStaff, zbOffice, zbAdmin, leader, sysAdmin].map((a) => seesReport(a, r))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([cityOffice, kbOffice, cityStaff, zbHr].map((a) => seesReport(a, r))).toEqual([false, false, false, false]);
  });

  it("when it was sent up, then the city office too; when adopted, then everyone", () => {
    expect(seesReport(cityOffice, report({ reachedCity: true, status: "returned" }))).toBe(true);
    expect(seesReport(kbOffice, report({ status: "adopted" }))).toBe(true);
    expect(seesReport(cityStaff, report({ status: "adopted" }))).toBe(true);
  });

  it("shows a publicity item to its author, recorder and office until verified, then to all", () => {
    const p = { authorStaffId: "zb-staff", recordedByStaffId: "zb-office", orgId: "zhangbei", status: "pending" };
    expect([zbStaff, zbOffice, leader].map((a) => seesPublicity(a, p))).toEqual([true, true, true]);
    expect([kbOffice, cityStaff].map((a) => seesPublicity(a, p))).toEqual([false, false]);
    expect(seesPublicity(kbOffice, { ...p, status: "verified" })).toBe(true);
  });
});

describe("who publishes notices", () => {
  it("sends to the whole bureau: the city office and city-wide roles only", () => {
    const bureau = { type: "bureau" as const, id: null };
    expect([cityOffice, leader, sysAdmin].map((a) => mayPublishTo(a, bureau, "city"))).toEqual([true, true, true]);
    expect([cityStaff, zbOffice, zbAdmin, cityHead].map((a) => mayPublishTo(a, bureau, "city"))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("sends to an organisation: its office and administrators; to a division: also its head", () => {
    const zb = { type: "org" as const, id: "zhangbei" };
    expect([zbOffice, zbAdmin, zbHr, sysAdmin].map((a) => mayPublishTo(a, zb, "zhangbei"))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([kbOffice, zbStaff, cityOffice].map((a) => mayPublishTo(a, zb, "zhangbei"))).toEqual([false, false, false]);
    expect(mayPublishTo(cityHead, { type: "division", id: "city-budget" }, "city")).toBe(true);
    expect(mayPublishTo(cityHead, { type: "division", id: "city-treasury" }, "city")).toBe(false);
    expect(mayPublishTo(cityHead, { type: "org", id: "city" }, "city")).toBe(false);
  });

  it("manages a notice: its publisher, or whoever may publish to its scope", () => {
    const n = { scope: { type: "org" as const, id: "zhangbei" }, scopeOrgId: "zhangbei", publisherStaffId: "zb-staff" };
    expect(managesNotice(zbStaff, n)).toBe(true);
    expect(managesNotice(zbOffice, n)).toBe(true);
    expect(managesNotice(kbOffice, n)).toBe(false);
  });
});
