import { WorkCalendar } from "../../../shared/calendar";
import type { DirectoryEntry } from "../../../shared/contracts/personnel";
import { DEFAULT_DEADLINES } from "../../../services/plans/deadlines";
import { logTitle } from "../../../shared/contracts/worklog";
import { generatePlansDemo, type DemoInput } from "../../../services/plans/demo-data";

const kinds = ["budget", "treasury", "office", "hr", "it", "general"];
const divisions = ["city", "zhangbei"].flatMap((orgId) =>
  kinds.map((kind) => ({ id: `${orgId}-${kind}`, orgId, name: kind, kind })),
);
const staff: DirectoryEntry[] = divisions.flatMap((d) =>
  [0, 1, 2].map((i) => ({
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
const logs = staff.flatMap((s, i) =>
  ["2026-10-12", "2026-11-03", "2026-11-20"].map((date, j) => ({
    logId: `log-${i}-${j}`,
    title: "工作",
    authorStaffId: s.id,
    authorName: s.name,
    divisionId: s.divisionId,
    date,
  })),
);
const input: DemoInput = {
  today: "2026-11-25",
  divisions,
  orgs: [{ id: "city" }, { id: "zhangbei" }],
  staff,
  people: [staff[1].id],
  logs,
  cal: new WorkCalendar(),
  settings: DEFAULT_DEADLINES,
};

describe("plans demo data", () => {
  const demo = generatePlansDemo(input);

  it("when generated twice, then the data is the same", () => {
    expect(JSON.stringify(generatePlansDemo(input))).toBe(JSON.stringify(demo));
  });

  it("when generated, then each division leads 8–15 tasks answered for by its head", () => {
    for (const d of divisions) {
      const led = demo.tasks.filter((t) => t.leadDivisionId === d.id);
      expect(led.length).toBeGreaterThanOrEqual(8);
      expect(led.length).toBeLessThanOrEqual(15);
      expect(new Set(led.map((t) => t.responsibleStaffId))).toEqual(new Set([`${d.id}-s0`]));
    }
  });

  it("when a task is shared, then each participant's year document holds it", () => {
    const shared = demo.tasks.filter((t) => t.cooperatingDivisionIds.length);
    expect(shared.length).toBeGreaterThan(0);
    for (const t of shared)
      for (const d of t.participantDivisionIds) {
        const doc = demo.yearPlans.find((p) => p._id === `d:${d}:2026`)!;
        expect(doc.tasks.some((x) => x._id === t._id)).toBe(true);
      }
  });

  it("when a part is delayed, then it carries a reason; done parts are at 100 %", () => {
    const parts = demo.tasks.flatMap((t) => t.parts);
    expect(parts.filter((p) => p.status === "delayed").every((p) => !!p.reason)).toBe(true);
    expect(parts.filter((p) => p.status === "done").every((p) => p.progress === 100)).toBe(true);
  });

  it("when evidence is linked, then each task's count equals its evidence list", () => {
    expect(demo.links.length).toBeGreaterThan(0);
    for (const t of demo.tasks)
      expect(t.evidenceCount).toBe(demo.evidence.find((e) => e._id === t._id)?.logs.length ?? 0);
  });

  it("when a log's first line is long, then its title is cut to 40 characters", () => {
    expect(logTitle("\n  短标题\n第二行")).toBe("短标题");
    expect(logTitle("长".repeat(50))).toBe(`${"长".repeat(39)}…`);
  });
});
