import { generateAttendance, generateDemo } from "../../../services/personnel/demo-data";
import { mulberry32 } from "../../../shared/random";
import { DIVISIONS, ORGS } from "../../../services/personnel/orgs";
import { ageBand, ageOn } from "../../../shared/time";
import { WorkCalendar } from "../../../shared/calendar";

const TODAY = "2026-11-25";
const demo = generateDemo(TODAY);

describe("mulberry32", () => {
  test("when seeded the same, then it yields the same sequence in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });
});

describe("generateDemo", () => {
  test("when generated twice for the same day, then staff, posts and people are identical", () => {
    expect(generateDemo(TODAY)).toEqual(demo);
  });

  test("when generated, then there are about 1,500 staff: 300 in the city and 55–65 per county", () => {
    expect(demo.staff.length).toBeGreaterThanOrEqual(1400);
    expect(demo.staff.length).toBeLessThanOrEqual(1600);
    const byOrg = new Map<string, number>();
    for (const s of demo.staff) byOrg.set(s.orgId, (byOrg.get(s.orgId) ?? 0) + 1);
    expect(byOrg.get("city")).toBe(300);
    for (const org of ORGS.filter((o) => o.id !== "city")) {
      expect(byOrg.get(org.id)).toBeGreaterThanOrEqual(55);
      expect(byOrg.get(org.id)).toBeLessThanOrEqual(65);
    }
  });

  test("when generated, then ages run from 22 to 60 with most people between 30 and 50", () => {
    const ages = demo.staff.map((s) => ageOn(s.birthDate, TODAY));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(22);
    expect(Math.max(...ages)).toBeLessThanOrEqual(60);
    const bands = new Map<string, number>();
    for (const a of ages) bands.set(ageBand(a), (bands.get(ageBand(a)) ?? 0) + 1);
    for (const band of ["35岁及以下", "36-45岁", "46-55岁", "56岁及以上"]) expect(bands.get(band)).toBeGreaterThan(20);
    const middle = ages.filter((a) => a >= 30 && a <= 50).length / ages.length;
    expect(middle).toBeGreaterThan(0.5);
  });

  test("when generated, then education and political status follow a plausible mix", () => {
    const share = (pred: (s: (typeof demo.staff)[number]) => boolean) =>
      demo.staff.filter(pred).length / demo.staff.length;
    expect(share((s) => s.education === "本科")).toBeGreaterThan(0.45);
    expect(share((s) => s.education.startsWith("研究生"))).toBeGreaterThan(0.05);
    expect(share((s) => s.education.startsWith("研究生"))).toBeLessThan(0.25);
    expect(share((s) => s.politicalStatus === "中共党员")).toBeGreaterThan(0.5);
    expect(share((s) => s.politicalStatus === "群众")).toBeGreaterThan(0.05);
  });

  test("when generated, then names are 2–4 Chinese characters with common surnames most frequent", () => {
    expect(demo.staff.every((s) => /^[\u4e00-\u9fff]{2,4}$/.test(s.name))).toBe(true);
    const surnames = new Map<string, number>();
    for (const s of demo.staff) surnames.set(s.name[0], (surnames.get(s.name[0]) ?? 0) + 1);
    const top = [...surnames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([n]) => n);
    expect(top.filter((n) => "王李张刘陈杨赵".includes(n)).length).toBeGreaterThanOrEqual(4);
  });

  test("when generated, then hire dates follow birth dates and precede today, and phones are mobiles", () => {
    for (const s of demo.staff) {
      expect(s.hireDate > s.birthDate).toBe(true);
      expect(s.hireDate <= TODAY).toBe(true);
      expect(s.phone).toMatch(/^1[3-9]\d{9}$/);
    }
  });

  test("when generated, then each division has one head post and every person holds one post as A", () => {
    for (const d of DIVISIONS) {
      const posts = demo.posts.filter((p) => p.divisionId === d.id);
      expect(posts.filter((p) => p.isHead)).toHaveLength(1);
    }
    const aHolders = demo.posts.map((p) => p.aHolderId);
    expect(new Set(aHolders).size).toBe(demo.staff.length);
    for (const s of demo.staff) expect(demo.posts.find((p) => p.aHolderId === s._id)?._id).toBe(s.postId);
  });

  test("when generated, then B holders come from the same division, differ from A, and about 3% of posts lack one", () => {
    const byId = new Map(demo.staff.map((s) => [s._id, s]));
    for (const p of demo.posts) {
      if (!p.bHolderId) continue;
      expect(p.bHolderId).not.toBe(p.aHolderId);
      expect(byId.get(p.bHolderId)?.divisionId).toBe(p.divisionId);
    }
    const gaps = demo.posts.filter((p) => !p.bHolderId).length / demo.posts.length;
    expect(gaps).toBeGreaterThan(0.01);
    expect(gaps).toBeLessThan(0.06);
  });

  test("when the demo people are chosen, then each role sits in the unit it is meant for", () => {
    const byRole = Object.fromEntries(demo.people.map((p) => [p.role, p]));
    expect(byRole.sys_admin.divisionId).toBe("city-it");
    expect(byRole.hr_admin.divisionId).toBe("city-hr");
    expect(byRole.leader.divisionId).toBe("city-leadership");
    expect(byRole.division_head.divisionId).toBe("city-budget");
    expect(byRole.county_admin.orgId).toBe("zhangbei");
    expect(byRole.staff.divisionId).toBe("city-budget");
    expect(new Set(demo.people.map((p) => p.staffId)).size).toBe(6);
    const head = demo.posts.find((p) => p.aHolderId === byRole.division_head.staffId);
    expect(head?.isHead).toBe(true);
  });
});

describe("generateAttendance", () => {
  const sample = demo.staff.slice(0, 200);
  const docs = [...generateAttendance(sample, TODAY)];

  test("when generated twice, then the documents are identical", () => {
    expect([...generateAttendance(sample, TODAY)]).toEqual(docs);
  });

  test("when generated, then each person has one document per month for 12 months, working days only, up to today", () => {
    const months = new Set(docs.map((d) => `${d.year}-${d.month}`));
    expect(months.size).toBe(12);
    expect(docs.length).toBeLessThanOrEqual(sample.length * 12);
    expect(new Set(docs.map((d) => `${d.staffId}|${d.year}|${d.month}`)).size).toBe(docs.length);
    for (const d of docs) {
      expect(d._id).toBe(d.staffId);
      for (const day of Object.keys(d.days)) {
        const date = `${d.year}-${String(d.month).padStart(2, "0")}-${day}`;
        expect(new WorkCalendar().isWorkingDay(date)).toBe(true);
        expect(date <= TODAY).toBe(true);
      }
    }
  });

  test("when generated, then most days are present and leave, trips and training occur at realistic rates", () => {
    const counts = new Map<string, number>();
    for (const d of docs) for (const s of Object.values(d.days)) counts.set(s, (counts.get(s) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const rate = (s: string) => (counts.get(s) ?? 0) / total;
    expect(rate("present")).toBeGreaterThan(0.88);
    expect(rate("present")).toBeLessThan(0.97);
    expect(rate("leave_annual")).toBeGreaterThan(0.01);
    for (const s of ["leave_sick", "leave_personal", "business_trip", "training"])
      expect(rate(s)).toBeGreaterThan(0.002);
    expect(rate("absent")).toBeLessThan(0.005);
  });
});
