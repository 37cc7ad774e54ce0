import { splitList, taskWorkbook, validateTaskRows, type ImportLookups } from "../../../services/plans/rules";
import type { TaskDoc } from "../../../services/plans/data/models";
import { planTaskImport } from "../../../services/plans/task-import";
import { readSheet } from "../../../shared/xlsx";

const divisions = new Map([
  ["city-budget", { id: "city-budget", orgId: "city", name: "预算处" }],
  ["city-treasury", { id: "city-treasury", orgId: "city", name: "国库处" }],
  ["zhangbei-budget", { id: "zhangbei-budget", orgId: "zhangbei", name: "预算股" }],
]);
const byName = new Map([
  ["预算处", divisions.get("city-budget")!],
  ["国库处", divisions.get("city-treasury")!],
  ["张北县/预算股", divisions.get("zhangbei-budget")!],
]);
const lookups: ImportLookups = {
  division: (id) => divisions.get(id),
  staff: (id) =>
    id === "s001"
      ? { id, name: "甲", orgId: "city", divisionId: "city-budget", status: "active" }
      : id === "s002"
        ? { id, name: "乙", orgId: "city", divisionId: "city-budget", status: "left" }
        : undefined,
  resolveDivision: (t) => byName.get(t) ?? divisions.get(t),
  mayEdit: (id) => id === "city-budget",
  taskLead: (id) => (id === "t-2026-a" ? "city-budget" : undefined),
};

async function sheet(rows: (string | number | null)[][]) {
  return readSheet(await taskWorkbook(rows));
}

describe("task import rows", () => {
  it("when every cell is good, then the rows become task inputs with divisions resolved by name", async () => {
    const s = await sheet([
      ["预算执行分析", "预算处", "国库处、张北县/预算股", "s001", "按月分析", 12, "期", "2026-12-31", 10],
    ]);
    const { tasks, errors } = validateTaskRows(2026, s.headers, s.rows, lookups);
    expect(errors).toEqual([]);
    expect(tasks).toEqual([
      {
        year: 2026,
        title: "预算执行分析",
        leadDivisionId: "city-budget",
        cooperatingDivisionIds: ["city-treasury", "zhangbei-budget"],
        responsibleStaffId: "s001",
        targetText: "按月分析",
        targetValue: 12,
        targetUnit: "期",
        dueDate: "2026-12-31",
        weight: 10,
      },
    ]);
  });

  it("when one row of three is bad, then no task is returned and each bad cell is named", async () => {
    const s = await sheet([
      ["甲任务", "预算处", "", "s001", "目标", null, null, "2026-06-30", 10],
      ["乙任务", "预算处", "预算处", "s002", "目标", null, "件", "2026-02-30", 10],
      ["丙任务", "国库处", "", "s001", "目标", null, null, "2026-06-30", 10],
    ]);
    const { tasks, errors } = validateTaskRows(2026, s.headers, s.rows, lookups);
    expect(tasks).toEqual([]);
    expect(errors.map((e) => `${e.row}/${e.column}/${e.message}`)).toEqual([
      "3/目标值/填写了计量单位，请同时填写目标值",
      "3/完成时限/完成时限应为 YYYY-MM-DD",
      "3/配合处室/牵头处室不能同时是配合处室",
      "3/责任人工号/责任人不存在或不在职",
      "4/牵头处室/无权为该处室录入任务",
    ]);
  });

  it("when a required column is missing, then the header row is reported", async () => {
    const { errors } = validateTaskRows(2026, ["任务名称", "牵头处室"], [], lookups);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, "责任人工号"],
      [1, "目标"],
      [1, "完成时限"],
      [1, "权重"],
    ]);
  });

  it("when a list cell uses Chinese and Western separators, then each name is taken", () => {
    expect(splitList("国库处、预算处，会计处; 金融处\n信息中心")).toEqual([
      "国库处",
      "预算处",
      "会计处",
      "金融处",
      "信息中心",
    ]);
  });
});

describe("task import rows with 任务编号 (the export coming back)", () => {
  async function withIds(rows: (string | number | null)[][]) {
    return readSheet(await taskWorkbook(rows, true));
  }

  it("when a row names a stored task, then its input carries the id; an unknown id or a moved lead is a row error", async () => {
    const s = await withIds([
      ["t-2026-a", "甲任务", "预算处", "", "s001", "目标", null, null, "2026-06-30", 10],
      ["t-2026-zz", "乙任务", "预算处", "", "s001", "目标", null, null, "2026-06-30", 10],
    ]);
    const { tasks, errors } = validateTaskRows(2026, s.headers, s.rows, lookups);
    expect(tasks).toEqual([]);
    expect(errors).toEqual([{ row: 3, column: "任务编号", message: "2026 年没有任务编号为 t-2026-zz 的任务" }]);
    const ok = await withIds([["t-2026-a", "甲任务", "预算处", "", "s001", "目标", null, null, "2026-06-30", 10]]);
    expect(validateTaskRows(2026, ok.headers, ok.rows, lookups).tasks.map((t) => t.id)).toEqual(["t-2026-a"]);
    const moved = await withIds([["t-2026-a", "甲任务", "国库处", "", "s001", "目标", null, null, "2026-06-30", 10]]);
    expect(validateTaskRows(2026, moved.headers, moved.rows, lookups).errors).toContainEqual({
      row: 2,
      column: "牵头处室",
      message: "已有任务的牵头处室不能通过导入修改",
    });
  });
});

describe("planning a task import", () => {
  const stored = {
    _id: "t-1",
    title: "甲任务",
    target: { text: "目标", value: null, unit: null },
    dueDate: "2026-06-30",
    weight: 10,
    responsibleStaffId: "s001",
    cooperatingDivisionIds: ["city-treasury"],
  } as unknown as TaskDoc;
  const row = {
    year: 2026,
    title: "甲任务",
    leadDivisionId: "city-budget",
    cooperatingDivisionIds: ["city-treasury"],
    responsibleStaffId: "s001",
    targetText: "目标",
    targetValue: null,
    targetUnit: null,
    dueDate: "2026-06-30",
    weight: 10,
  };

  it("when a row matches its task, then it is unchanged; a changed cell becomes an edit of that field alone", () => {
    const tasks = new Map([["t-1", stored]]);
    expect(planTaskImport([{ ...row, id: "t-1" }], tasks)).toEqual({ creates: [], updates: [], unchanged: 1 });
    expect(planTaskImport([{ ...row, id: "t-1", weight: 20 }, row], tasks)).toEqual({
      creates: [row],
      updates: [{ id: "t-1", changes: { weight: 20 } }],
      unchanged: 0,
    });
  });
});
