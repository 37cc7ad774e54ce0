import { managesNotice, mayPublishTo } from "../../../services/notices/access";
import {
  cityHead,
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
