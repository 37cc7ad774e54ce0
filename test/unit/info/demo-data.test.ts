import { DEFAULT_POINTS } from "../../../shared/contracts/info";
import { generateInfoDemo, type DemoInput } from "../../../services/info/demo-data";
import { NOW, divisions, orgs, people, staff } from "../../support/demo-bureau";

const input: DemoInput = { now: NOW, orgs, divisions, staff, people, points: DEFAULT_POINTS };

describe("info demo data", () => {
  const demo = generateInfoDemo(input);

  it("when generated twice, then the data is the same", () => {
    expect(JSON.stringify(generateInfoDemo(input))).toBe(JSON.stringify(demo));
  });

  it("when generated, then every organisation has reports adopted at each level, returned ones and pending ones", () => {
    const levels = new Set(demo.reports.filter((r) => r.status === "adopted").map((r) => r.adoption!.level));
    expect([...levels].sort()).toEqual(["city", "national", "province"]);
    for (const status of ["adopted", "returned", "submitted", "draft"])
      expect(demo.reports.some((r) => r.status === status)).toBe(true);
    for (const o of orgs) expect(demo.reports.filter((r) => r.orgId === o.id).length).toBeGreaterThanOrEqual(25);
    expect(
      demo.reports.some((r) => r.trail.filter((t) => t.action === "return").length && r.status === "adopted"),
    ).toBe(true);
    expect(demo.reports.some((r) => r.trail.some((t) => t.action === "revoke"))).toBe(true);
  });

  it("when a report is adopted, then its fact holds the points of its level; a revoked one holds 0", () => {
    for (const r of demo.reports) {
      if (r.status === "adopted") {
        expect(r.fact).toMatchObject({ factId: `info:${r._id}`, value: DEFAULT_POINTS.information[r.adoption!.level] });
      } else if (r.fact) expect(r.fact.value).toBe(0);
      else expect(r.trail.some((t) => t.action === "adopt")).toBe(false);
    }
    for (const p of demo.publicity)
      if (p.status === "verified")
        expect(p.fact).toMatchObject({ value: DEFAULT_POINTS.publicity[p.outletLevel], date: p.publishedOn });
  });

  it("when generated, then nothing happens after now and reviews follow submissions", () => {
    for (const r of [...demo.reports, ...demo.publicity]) {
      for (const t of r.trail) expect(t.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      const times = r.trail.map((t) => t.at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it("gives the demo staff login a report in each state and the county admin work on their desk", () => {
    const mine = demo.reports.filter((r) => r.authorStaffId === people.staff);
    expect(new Set(mine.map((r) => r.status))).toEqual(new Set(["adopted", "returned", "submitted", "draft"]));
    const desk = demo.reports.filter((r) => r.orgId === "zhangbei" && r.status === "submitted" && r.stage === "county");
    expect(desk.length).toBeGreaterThanOrEqual(3);
  });
});
