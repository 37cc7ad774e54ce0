import type { ProgressStatus, TaskPart, TaskView } from "../../../shared/contracts/plans";
import { completionMatrix, summarize, taskAs } from "../../../services/plans/matrix";

const part = (divisionId: string, role: TaskPart["role"], status: ProgressStatus, progress: number): TaskPart => ({
  divisionId,
  orgId: divisionId === "C" ? "zhangbei" : "city",
  role,
  responsibleStaffId: null,
  responsibleName: null,
  status,
  progress,
  reason: status === "delayed" ? "配合单位资料滞后" : null,
  reportedMonth: "2026-06",
  evidenceCount: 0,
});

const task = (id: string, lead: string, weight: number, dueDate: string, parts: TaskPart[]): TaskView => ({
  id,
  year: 2026,
  title: id,
  leadDivisionId: lead,
  leadOrgId: "city",
  cooperatingDivisionIds: parts.filter((p) => p.role === "cooperating").map((p) => p.divisionId),
  responsibleStaffId: "s1",
  responsibleName: "甲",
  target: { text: "t", value: null, unit: null },
  dueDate,
  weight,
  state: "approved",
  approvedAt: null,
  approvedBy: null,
  version: 1,
  parts,
  evidenceCount: 0,
  late: false,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

/** The fixed data set: three tasks, three divisions (C in a county), seven cells. */
const T1 = task("T1", "A", 10, "2026-06-30", [part("A", "lead", "done", 100)]);
const T2 = task("T2", "A", 20, "2026-12-31", [
  part("A", "lead", "in_progress", 40),
  part("B", "cooperating", "not_started", 0),
]);
const T3 = task("T3", "B", 30, "2026-05-31", [
  part("B", "lead", "delayed", 50),
  part("A", "cooperating", "done", 100),
  part("C", "cooperating", "in_progress", 60),
]);
const TASKS = [T1, T2, T3];
const DIVISIONS = [
  { id: "A", orgId: "city", name: "预算处" },
  { id: "B", orgId: "city", name: "国库处" },
  { id: "C", orgId: "zhangbei", name: "预算股" },
];
const TODAY = "2026-07-01";

describe("completion matrix", () => {
  const m = completionMatrix(TASKS, DIVISIONS, 2026, null, TODAY);

  it("when three tasks have six parts, then there is one cell per part with its status and lateness", () => {
    expect(m.cells.map((c) => `${c.taskId}/${c.divisionId}:${c.status}:${c.progress}:${c.late}`)).toEqual([
      "T1/A:done:100:false",
      "T2/A:in_progress:40:false",
      "T2/B:not_started:0:false",
      "T3/B:delayed:50:true",
      "T3/A:done:100:false",
      "T3/C:in_progress:60:true",
    ]);
  });

  it("when division A holds two done parts of three, then its row shows 2/3 done and 80 % weighted progress", () => {
    // (10×100 + 20×40 + 30×100) / (10 + 20 + 30) = 4800 / 60 = 80
    expect(m.rows[0]).toEqual({
      divisionId: "A",
      orgId: "city",
      name: "预算处",
      parts: 3,
      done: 2,
      inProgress: 1,
      delayed: 0,
      notStarted: 0,
      late: 0,
      doneRate: 0.667,
      weightedProgress: 80,
    });
  });

  it("when division B's led task is delayed past its due date, then B's row counts one delayed and one late", () => {
    // (20×0 + 30×50) / (20 + 30) = 30
    expect(m.rows[1]).toMatchObject({
      parts: 2,
      done: 0,
      delayed: 1,
      notStarted: 1,
      late: 1,
      doneRate: 0,
      weightedProgress: 30,
    });
    expect(m.rows[2]).toMatchObject({ parts: 1, inProgress: 1, late: 1, doneRate: 0, weightedProgress: 60 });
  });

  it("when totals are taken over the whole bureau, then they match the hand-computed sums", () => {
    // weighted: (1000 + 800 + 0 + 1500 + 3000 + 1800) / 140 = 57.857…
    expect(m.totals).toEqual({
      parts: 6,
      done: 2,
      inProgress: 2,
      delayed: 1,
      notStarted: 1,
      late: 2,
      doneRate: 0.333,
      weightedProgress: 57.9,
    });
  });

  it("when the matrix is scoped to the city's divisions, then the county's cell is shown but not counted", () => {
    const city = completionMatrix(TASKS, DIVISIONS.slice(0, 2), 2026, "city", TODAY);
    expect(city.rows.map((r) => r.divisionId)).toEqual(["A", "B"]);
    // (1000 + 800 + 0 + 1500 + 3000) / 110 = 57.27…
    expect(city.totals).toMatchObject({ parts: 5, done: 2, late: 1, weightedProgress: 57.3 });
  });

  it("when a plan is summarised for division A, then each task counts once, from A's own part", () => {
    expect(summarize(TASKS, 2026, TODAY, "A")).toEqual({
      year: 2026,
      tasks: 3,
      done: 2,
      inProgress: 1,
      delayed: 0,
      notStarted: 0,
      late: 0,
      doneRate: 0.667,
      weightedProgress: 80,
    });
  });
});

describe("shared-task visibility", () => {
  it("when the lead division looks at a shared task, then it sees every participant's part", () => {
    expect(taskAs(T3, "B").parts.map((p) => p.divisionId)).toEqual(["B", "A", "C"]);
  });

  it("when each cooperating division looks at it, then it sees only its own part", () => {
    expect(taskAs(T3, "A").parts.map((p) => [p.divisionId, p.status])).toEqual([["A", "done"]]);
    expect(taskAs(T3, "C").parts.map((p) => [p.divisionId, p.progress])).toEqual([["C", 60]]);
  });

  it("when HR looks with the whole view, then every part shows", () => {
    expect(taskAs(T3, null).parts).toHaveLength(3);
  });
});
