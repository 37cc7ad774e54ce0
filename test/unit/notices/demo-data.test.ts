import { DEFAULT_POINTS } from "../../../shared/contracts/notices";
import type { DemoPeople, DirectoryEntry } from "../../../shared/contracts/personnel";
import { generateNoticesDemo, type DemoInput } from "../../../services/notices/demo-data";

const NOW = new Date("2026-11-25T04:00:00Z");
const orgs = [
  { id: "city", name: "张家口市财政局", shortName: "市局" },
  { id: "zhangbei", name: "张北县财政局", shortName: "张北县" },
  { id: "kangbao", name: "康保县财政局", shortName: "康保县" },
];
const divisions = orgs.flatMap((o) =>
  ["leadership", "office", "budget", "treasury"].map((kind) => ({
    id: `${o.id}-${kind}`,
    orgId: o.id,
    name: kind,
    kind,
  })),
);
const staff: DirectoryEntry[] = divisions.flatMap((d) =>
  [0, 1, 2, 3].map((i) => ({
    id: `${d.id}-s${i}`,
    name: `${d.id}${i}`,
    orgId: d.orgId,
    divisionId: d.id,
    postId: null,
    phone: null,
    status: "active" as const,
    isDivisionHead: i === 0,
  })),
);
const people: DemoPeople = {
  staff: "city-budget-s3",
  county_admin: "zhangbei-office-s2",
  division_head: "city-budget-s0",
  hr_admin: "city-office-s1",
  leader: "city-leadership-s0",
  sys_admin: "city-treasury-s1",
};
const input: DemoInput = { now: NOW, orgs, divisions, staff, people, points: DEFAULT_POINTS };

describe("notices demo data", () => {
  const demo = generateNoticesDemo(input);

  it("when generated twice, then the data is the same", () => {
    expect(JSON.stringify(generateNoticesDemo(input))).toBe(JSON.stringify(demo));
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

  it("keeps each reader's receipts and each notice's receipts the same, within the recipients", () => {
    const fromReaders = demo.readers.flatMap((r) => Object.keys(r.reads).map((n) => `${n}|${r._id}`)).sort();
    const fromNotices = demo.noticeReads.flatMap((n) => Object.keys(n.reads).map((s) => `${n._id}|${s}`)).sort();
    expect(fromNotices).toEqual(fromReaders);
    const notices = new Map(demo.notices.map((n) => [n._id, n]));
    for (const n of demo.noticeReads)
      for (const [s, at] of Object.entries(n.reads)) {
        expect(notices.get(n._id)!.recipients).toContain(s);
        expect(at.getTime()).toBeGreaterThanOrEqual(notices.get(n._id)!.publishedAt.getTime());
      }
    expect(demo.notices.filter((n) => n.scope.type === "bureau")[0].recipients).toHaveLength(staff.length);
    const unreadForStaff = demo.notices.filter(
      (n) => n.recipients.includes(people.staff) && !demo.readers.find((r) => r._id === people.staff)?.reads[n._id],
    );
    expect(unreadForStaff.length).toBeGreaterThan(0);
  });
});
