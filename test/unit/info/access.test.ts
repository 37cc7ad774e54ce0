import { reviewsStage, seesPublicity, seesReport } from "../../../services/info/access";
import { SYSTEM_ACTOR, isOfficeOf } from "../../../shared/office";
import {
  cityOffice,
  cityStaff,
  kbOffice,
  leader,
  sysAdmin,
  zbAdmin,
  zbHr,
  zbOffice,
  zbStaff,
} from "../../support/actors";

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
