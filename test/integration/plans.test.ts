/**
 * The plans service with the real personnel and worklog services on separate brokers over NATS and
 * FerretDB: shared-task visibility, permissions, bad input, .xlsx import, approval history, monthly
 * arrangement and completion, the matrix, overdue lists, evidence from the worklog channels and
 * the durable plans events.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import ExcelJS from "exceljs";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { ManualClock } from "../../shared/clock";
import type { StaffView } from "../../shared/contracts/personnel";
import {
  PROGRESS_LABELS,
  type CompletionMatrix,
  type DivisionPlan,
  type MonthView,
  type OverdueReport,
  type TaskEvidence,
  type TaskVersionView,
  type TaskView,
} from "../../shared/contracts/plans";
import type { LogView } from "../../shared/contracts/worklog";
import { publish } from "../../shared/events";
import { taskWorkbook } from "../../services/plans/rules";
import type { ImportJob } from "../../shared/contracts/jobs";
import { castOf, rejection } from "../support/cast";
import { recordWrites } from "../support/writes";

/** Tuesday 10 March 2026, 10:00 in Shanghai. */
const TODAY = new Date("2026-03-10T02:00:00Z");
const clock = new ManualClock(TODAY);
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
const received: { channel: string; event: any }[] = [];

type Who = "budgetHead" | "budgetStaff" | "treasuryHead" | "countyHead" | "hr";
const { staff, call, user } = castOf<Who>(() => broker, {
  budgetHead: ["division_head"],
  budgetStaff: ["staff"],
  treasuryHead: ["division_head"],
  countyHead: ["division_head"],
  hr: ["hr_admin"],
});

const listener: ServiceSchema = {
  name: "listener",
  channels: Object.fromEntries(
    ["plans.task.created", "plans.task.changed", "plans.arrangement.submitted", "plans.completion.submitted"].map(
      (ch) => [ch, { group: "listener", handler: (event: any) => void received.push({ channel: ch, event }) }],
    ),
  ),
} as ServiceSchema;

const withClock = (s: ServiceSchema): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() } } }) as ServiceSchema;

async function newStaff(name: string, orgId: string, divisionId: string): Promise<StaffView> {
  return broker.call(
    "personnel.staff.create",
    {
      orgId,
      divisionId,
      name,
      gender: "male",
      birthDate: "1985-05-01",
      education: "本科",
      politicalStatus: "中共党员",
      title: "科员",
      hireDate: "2010-07-01",
    },
    SYSTEM,
  ) as Promise<StaffView>;
}

const taskInput = (extra: object = {}) => ({
  year: 2026,
  title: "预算绩效管理扩面",
  leadDivisionId: "city-budget",
  cooperatingDivisionIds: ["city-treasury", "zhangbei-budget"],
  responsibleStaffId: staff.budgetHead.id,
  partResponsibles: { "zhangbei-budget": staff.countyHead.id },
  targetText: "绩效目标覆盖全部项目",
  targetValue: 100,
  targetUnit: "%",
  dueDate: "2026-11-30",
  weight: 20,
  ...extra,
});

let shared: TaskView;

/** Imports a task file as `who` and follows its job (202) to the end. */
async function importTasks(file: Buffer, year: number, who: Who): Promise<ImportJob> {
  const meta: Record<string, unknown> = { user: user(who) };
  const { job } = (await broker.call("plans.tasks.import", { file: file.toString("base64"), year }, { meta })) as {
    job: ImportJob;
  };
  expect(meta.$statusCode).toBe(202);
  return waitFor(
    () => call<ImportJob>("plans.imports.jobs.get", { id: job.id }, who),
    (j) => j.state !== "running",
    60_000,
  );
}

beforeAll(async () => {
  const [plansSchema] = await schemas("plans");
  const [worklogSchema] = await schemas("worklog");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("worklog", [withClock(worklogSchema)]),
    await startNode("plans", [withClock(plansSchema)]),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "worklog", "plans"], 30_000);
  staff.budgetHead = await newStaff("预算处长", "city", "city-budget");
  staff.budgetStaff = await newStaff("预算科员", "city", "city-budget");
  staff.treasuryHead = await newStaff("国库处长", "city", "city-treasury");
  staff.countyHead = await newStaff("张北股长", "zhangbei", "zhangbei-budget");
  staff.hr = await newStaff("人教管理", "city", "city-hr");
  shared = await call<TaskView>("plans.tasks.create", taskInput(), "budgetHead");
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

beforeEach(() => clock.set(TODAY));

describe("shared tasks", () => {
  test("when a head enters a task shared with a city and a county division, then it is a draft with three parts", () => {
    expect(shared).toMatchObject({
      year: 2026,
      state: "draft",
      version: 1,
      leadOrgId: "city",
      responsibleName: "预算处长",
      target: { text: "绩效目标覆盖全部项目", value: 100, unit: "%" },
    });
    expect(shared.parts.map((p) => [p.divisionId, p.role, p.responsibleName, p.status])).toEqual([
      ["city-budget", "lead", "预算处长", "not_started"],
      ["city-treasury", "cooperating", null, "not_started"],
      ["zhangbei-budget", "cooperating", "张北股长", "not_started"],
    ]);
  });

  test("when the lead division reads its plan, then it sees every participant's part", async () => {
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "city-budget" }, "budgetStaff");
    expect(plan.leading.map((t) => t.id)).toEqual([shared.id]);
    expect(plan.leading[0].parts.map((p) => p.divisionId)).toEqual(["city-budget", "city-treasury", "zhangbei-budget"]);
    expect(plan.cooperating).toEqual([]);
  });

  test("when each cooperating division reads its plan, then the task is listed with only its own part", async () => {
    for (const divisionId of ["city-treasury", "zhangbei-budget"]) {
      const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId }, "budgetStaff");
      expect(plan.leading).toEqual([]);
      expect(plan.cooperating.map((t) => [t.id, t.parts.map((p) => p.divisionId)])).toEqual([
        [shared.id, [divisionId]],
      ]);
    }
  });

  test("when the county part's responsible person reads their tasks, then the task shows with their part only", async () => {
    const tasks = await call<TaskView[]>("plans.tasks.forPerson", { staffId: staff.countyHead.id }, "countyHead");
    expect(tasks.map((t) => [t.id, t.parts.map((p) => p.divisionId)])).toEqual([[shared.id, ["zhangbei-budget"]]]);
  });

  test("when the task's responsible person reads their tasks, then the task shows with every part", async () => {
    const tasks = await call<TaskView[]>("plans.tasks.forPerson", { staffId: staff.budgetHead.id }, "budgetHead");
    expect(tasks.map((t) => [t.id, t.parts.map((p) => p.divisionId)])).toEqual([
      [shared.id, ["city-budget", "city-treasury", "zhangbei-budget"]],
    ]);
  });

  test("when a cooperating division's head answers for no part, then the task is not among their own tasks", async () => {
    expect(await call<TaskView[]>("plans.tasks.forPerson", { staffId: staff.treasuryHead.id }, "treasuryHead")).toEqual(
      [],
    );
  });

  test("when the task was created, then a durable plans.task.created event carries it", async () => {
    const ev = await waitFor(
      () => received.find((r) => r.channel === "plans.task.created" && r.event.data.taskId === shared.id),
      Boolean,
    );
    expect(ev!.event.data).toMatchObject({ leadDivisionId: "city-budget", weight: 20, version: 1 });
  });
});

describe("permissions and bad input", () => {
  test("when a head of another division edits the task, then 403 and the task is unchanged", async () => {
    const err = await rejection(call("plans.tasks.update", { id: shared.id, title: "改名" }, "treasuryHead"));
    expect(err.code).toBe(403);
    const t = await call<TaskView>("plans.tasks.get", { id: shared.id }, "budgetStaff");
    expect(t.title).toBe("预算绩效管理扩面");
  });

  test("when a head enters a task for another division, then 403 and nothing is written", async () => {
    const err = await rejection(
      call(
        "plans.tasks.create",
        taskInput({ leadDivisionId: "city-treasury", responsibleStaffId: staff.treasuryHead.id }),
        "budgetHead",
      ),
    );
    expect(err.code).toBe(403);
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "city-treasury" }, "budgetStaff");
    expect(plan.leading).toEqual([]);
  });

  test("when plain staff enter a task, then 403", async () => {
    expect((await rejection(call("plans.tasks.create", taskInput(), "budgetStaff"))).code).toBe(403);
  });

  test("when fields are bad, then 422 names each field and nothing is written", async () => {
    const err = await rejection(
      call(
        "plans.tasks.create",
        taskInput({
          dueDate: "2027-01-31",
          cooperatingDivisionIds: ["no-such-division"],
          responsibleStaffId: staff.treasuryHead.id,
          partResponsibles: {},
        }),
        "budgetHead",
      ),
    );
    expect(err.code).toBe(422);
    expect(err.data.map((f: { field: string }) => f.field).sort()).toEqual([
      "cooperatingDivisionIds",
      "dueDate",
      "responsibleStaffId",
    ]);
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "city-budget" }, "budgetStaff");
    expect(plan.leading).toHaveLength(1);
  });

  test("when the weight is out of range, then the parameter validator answers 422", async () => {
    const err = await rejection(call("plans.tasks.create", taskInput({ weight: 0 }), "budgetHead"));
    expect(err.code).toBe(422);
    expect(err.data[0].field).toBe("weight");
  });

  test("when a task or division does not exist, then 404", async () => {
    expect((await rejection(call("plans.tasks.get", { id: "t-nope" }, "budgetStaff"))).code).toBe(404);
    expect((await rejection(call("plans.tasks.forDivision", { divisionId: "nope" }, "budgetStaff"))).code).toBe(404);
  });

  test("when plain staff ask for the completion matrix, then 403", async () => {
    expect((await rejection(call("plans.matrix", { year: 2026 }, "budgetStaff"))).code).toBe(403);
  });
});

describe(".xlsx import", () => {
  const good = () => [
    ["预算执行分析", "预算处", "国库处", staff.budgetHead.id, "按月分析", 12, "期", "2026-12-31", 10],
    [
      "部门预算编制",
      "city-budget",
      "张北县财政局/预算股",
      staff.budgetHead.id,
      "按时编制",
      null,
      null,
      "2026-10-31",
      30,
    ],
  ];

  test("when two rows have bad cells, then 422 lists each bad cell by row and column and nothing is written", async () => {
    const rows = [
      ...good(),
      ["", "预算处", "", staff.budgetHead.id, "目标", null, null, "2026-05-31", 10],
      ["专项检查", "预算处", "不存在处", staff.budgetHead.id, "目标", "很多", null, "2027-05-31", 200],
    ];
    const file = (await taskWorkbook(rows)).toString("base64");
    const err = await rejection(call("plans.tasks.import", { file, year: 2026 }, "budgetHead"));
    expect(err.code).toBe(422);
    expect(err.data.map((f: any) => `${f.row}/${f.column}`)).toEqual(["4/任务名称", "5/配合处室", "5/目标值"]);
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "city-budget" }, "budgetStaff");
    expect(plan.leading).toHaveLength(1);
  });

  test("when a row's date and weight are out of range, then each is reported on its column", async () => {
    const rows = [["专项检查", "预算处", "", staff.budgetHead.id, "目标", null, null, "2027-05-31", 200]];
    const err = await rejection(
      call("plans.tasks.import", { file: (await taskWorkbook(rows)).toString("base64"), year: 2026 }, "budgetHead"),
    );
    expect(err.data.map((f: any) => `${f.row}/${f.column}`)).toEqual(["2/完成时限", "2/权重"]);
  });

  test("when a head imports rows for another division, then those rows are refused", async () => {
    const rows = [["国库任务", "国库处", "", staff.treasuryHead.id, "目标", null, null, "2026-05-31", 10]];
    const err = await rejection(
      call("plans.tasks.import", { file: (await taskWorkbook(rows)).toString("base64"), year: 2026 }, "budgetHead"),
    );
    expect(err.code).toBe(422);
    expect(err.data[0]).toMatchObject({ row: 2, column: "牵头处室", message: "无权为该处室录入任务" });
  });

  test("when the file is not a workbook, then 422 on file", async () => {
    const err = await rejection(call("plans.tasks.import", { file: "bm90IGEgZmlsZQ==", year: 2026 }, "budgetHead"));
    expect(err).toMatchObject({ code: 422 });
    expect(err.data[0].field).toBe("file");
  });

  test("when every row is good, then all tasks are created, shared ones included", async () => {
    const job = await importTasks(await taskWorkbook(good()), 2026, "budgetHead");
    expect([job.state, job.result]).toEqual(["done", { created: 2, updated: 0, unchanged: 0 }]);
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "zhangbei-budget" }, "countyHead");
    expect(plan.cooperating.map((t) => t.title).sort()).toEqual(["部门预算编制", "预算绩效管理扩面"]);
  });
});

describe("the task sheet's round trip (export, edit in Excel, import)", () => {
  // Another year, so the tasks the other tests count stay as they are.
  const YEAR2 = 2027;
  const rows = () =>
    Array.from({ length: 12 }, (_, i) => [
      `往返任务 ${i + 1}`,
      "预算处",
      i % 3 ? "" : "国库处",
      staff.budgetHead.id,
      "按期完成",
      i + 1,
      "项",
      `${YEAR2}-0${(i % 9) + 1}-15`,
      5,
    ]);
  const changedOf = (events: typeof received, from: number) =>
    events.slice(from).filter((r) => r.channel === "plans.task.changed" || r.channel === "plans.task.created");

  test("when the export comes back unchanged, then nothing is written; with 10 weights changed, exactly those 10", async () => {
    expect((await importTasks(await taskWorkbook(rows()), YEAR2, "budgetHead")).result).toEqual({
      created: 12,
      updated: 0,
      unchanged: 0,
    });
    const exported = Buffer.from(await call<Buffer>("plans.tasks.export", { year: YEAR2 }, "budgetHead"));
    let heard = received.length;
    let writes = recordWrites();
    try {
      const job = await importTasks(exported, YEAR2, "budgetHead");
      expect([job.result, job.total]).toEqual([{ created: 0, updated: 0, unchanged: 12 }, 0]);
      expect(writes.counts()).toEqual({});
    } finally {
      writes.restore();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(changedOf(received, heard)).toEqual([]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const weight = (ws.getRow(1).values as string[]).indexOf("权重");
    const ids: string[] = [];
    for (let r = 2; r <= 11; r++) {
      ws.getRow(r).getCell(weight).value = 15;
      ids.push(String(ws.getRow(r).getCell(1).value));
    }
    heard = received.length;
    writes = recordWrites();
    try {
      const job = await importTasks(Buffer.from(await wb.xlsx.writeBuffer()), YEAR2, "budgetHead");
      expect([job.result, job.done, job.total]).toEqual([{ created: 0, updated: 10, unchanged: 2 }, 10, 10]);
      expect(writes.counts().tasks).toBe(10);
    } finally {
      writes.restore();
    }
    const events = await waitFor(
      () => changedOf(received, heard),
      (x) => x.length >= 10,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(changedOf(received, heard)).toHaveLength(10);
    expect(events.map((e) => e.event.data.taskId).sort()).toEqual([...ids].sort());
    expect((await call<TaskView>("plans.tasks.get", { id: ids[0] }, "budgetHead")).weight).toBe(15);
  });
});

describe("approval and history", () => {
  test("when HR approves and the head then changes the task, then the approved version is kept in history", async () => {
    const approved = await call<TaskView>("plans.tasks.approve", { id: shared.id }, "hr");
    expect(approved).toMatchObject({ state: "approved", approvedBy: `acc-${staff.hr.id}` });
    const changed = await call<TaskView>(
      "plans.tasks.update",
      { id: shared.id, dueDate: "2026-12-15", weight: 25 },
      "budgetHead",
    );
    expect(changed).toMatchObject({ version: 2, dueDate: "2026-12-15", weight: 25, state: "approved" });
    const h = await call<{ current: TaskView; versions: TaskVersionView[] }>(
      "plans.tasks.history",
      { id: shared.id },
      "budgetStaff",
    );
    expect(h.versions.map((v) => [v.version, v.snapshot.dueDate, v.snapshot.weight, v.replacedBy])).toEqual([
      [1, "2026-11-30", 20, `acc-${staff.budgetHead.id}`],
    ]);
    const plan = await call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "zhangbei-budget" }, "countyHead");
    expect(plan.cooperating.find((t) => t.id === shared.id)).toMatchObject({ version: 2, weight: 25 });
  });

  test("when a division head tries to approve, then 403", async () => {
    expect((await rejection(call("plans.tasks.approve", { id: shared.id }, "budgetHead"))).code).toBe(403);
  });
});

describe("monthly arrangement and completion", () => {
  test("when the head submits March's arrangement with one item serving no task, then that item is marked", async () => {
    const v = await call<MonthView>(
      "plans.arrangements.submit",
      {
        scope: "division",
        ownerId: "city-budget",
        year: 2026,
        month: 3,
        items: [{ text: "推进绩效目标审核", taskId: shared.id }, { text: "完成领导交办的临时工作" }],
      },
      "budgetHead",
    );
    expect(v.arrangement!.items.map((i) => [i.id, i.taskTitle, i.noTask])).toEqual([
      ["i1", "预算绩效管理扩面", false],
      ["i2", null, true],
    ]);
    // Due by the last working day of February, the Spring Festival make-up Saturday; submitted on 10 March.
    expect(v.arrangement!.dueDate).toBe("2026-02-28");
    const ev = await waitFor(
      () => received.find((r) => r.channel === "plans.arrangement.submitted" && r.event.data.ownerId === "city-budget"),
      Boolean,
    );
    expect(ev!.event.data).toMatchObject({ items: 2, itemsWithoutTask: 1, late: true, year: 2026, month: 3 });
  });

  test("when an item links a task the division does not take part in, then 422 and nothing is written", async () => {
    const err = await rejection(
      call(
        "plans.arrangements.submit",
        { scope: "division", ownerId: "city-hr", year: 2026, month: 3, items: [{ text: "x", taskId: shared.id }] },
        "hr",
      ),
    );
    expect(err.code).toBe(422);
    expect(err.data[0].field).toBe("items[0].taskId");
    const v = await call<MonthView>(
      "plans.months.get",
      { scope: "division", ownerId: "city-hr", year: 2026, month: 3 },
      "hr",
    );
    expect(v.arrangement).toBeNull();
  });

  test("when a delay is reported without a reason, then 422 on the reason and the task part is unchanged", async () => {
    clock.set(new Date("2026-04-03T02:00:00Z"));
    const err = await rejection(
      call(
        "plans.completion.submit",
        {
          scope: "division",
          ownerId: "city-budget",
          year: 2026,
          month: 3,
          tasks: [{ taskId: shared.id, status: "delayed", progress: 30 }],
        },
        "budgetHead",
      ),
    );
    expect(err.code).toBe(422);
    expect(err.data.map((f: any) => f.field)).toEqual(["tasks[0].reason"]);
    const t = await call<TaskView>("plans.tasks.get", { id: shared.id }, "budgetStaff");
    expect(t.parts[0].status).toBe("not_started");
  });

  test("when the head reports March, then the lead's part moves, the report is on time and the matrix shows it", async () => {
    clock.set(new Date("2026-04-03T02:00:00Z"));
    const v = await call<MonthView>(
      "plans.completion.submit",
      {
        scope: "division",
        ownerId: "city-budget",
        year: 2026,
        month: 3,
        items: [
          { itemId: "i1", status: "in_progress", progress: 40 },
          { itemId: "i2", status: "done", progress: 100 },
        ],
        tasks: [{ taskId: shared.id, status: "delayed", progress: 30, reason: "配合单位资料报送滞后" }],
      },
      "budgetHead",
    );
    expect(v.completion!.dueDate).toBe("2026-04-07"); // 5 April 2026 is in the Qingming holiday
    expect(v.completion!.items.map((i) => [i.text, i.status])).toEqual([
      ["推进绩效目标审核", "in_progress"],
      ["完成领导交办的临时工作", "done"],
    ]);
    expect(v.completion!.tasks[0]).toMatchObject({
      taskTitle: "预算绩效管理扩面",
      status: "delayed",
      reason: "配合单位资料报送滞后",
    });
    const m = await call<CompletionMatrix>("plans.matrix", { year: 2026 }, "hr");
    const cell = m.cells.find((c) => c.taskId === shared.id && c.divisionId === "city-budget");
    expect(cell).toEqual({
      taskId: shared.id,
      divisionId: "city-budget",
      role: "lead",
      status: "delayed",
      progress: 30,
      late: false,
    });
    expect(m.rows.find((r) => r.divisionId === "city-budget")).toMatchObject({ parts: 3, delayed: 1, notStarted: 2 });
    const ev = await waitFor(
      () => received.find((r) => r.channel === "plans.completion.submitted" && r.event.data.ownerId === "city-budget"),
      Boolean,
    );
    expect(ev!.event.data).toMatchObject({
      late: false,
      items: 2,
      itemsDone: 1,
      tasks: [{ taskId: shared.id, status: "delayed" }],
    });
  });

  test("when HR exports the matrix, then the workbook prints on A4 and holds the matrix's numbers; the print page too; staff get 403", async () => {
    const m = await call<CompletionMatrix>("plans.matrix", { year: 2026 }, "hr");
    const buf = await call<Buffer>("plans.matrix.export", { year: 2026 }, "hr");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    const [divisions, detail] = [wb.getWorksheet("处室完成情况")!, wb.getWorksheet("任务明细")!];
    expect(divisions.getCell(1, 1).value).toBe("2026年度全市财政系统年度任务完成情况汇总表");
    expect([divisions.getCell(3, 3).value, divisions.getCell(4, 3).value]).toEqual(["任务", "承担"]);
    expect(divisions.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToWidth: 1 });
    expect(divisions.pageSetup.printTitlesRow).toBe("3:4");
    const budget = m.rows.find((r) => r.divisionId === "city-budget")!;
    const line = divisions.getRows(5, m.rows.length)!.find((r) => r.getCell(2).value === budget.name)!;
    expect([3, 4, 5, 6, 7, 8].map((c) => line.getCell(c).value)).toEqual([
      budget.parts,
      budget.done,
      budget.inProgress,
      budget.delayed,
      budget.notStarted,
      budget.late,
    ]);
    expect(divisions.getRow(4 + m.rows.length + 1).getCell(2).value).toBe("合计");
    expect(divisions.getRow(4 + m.rows.length + 1).getCell(3).value).toBe(m.totals.parts);
    expect(detail.rowCount).toBe(4 + m.cells.length);
    m.cells.forEach((c, i) => {
      const row = detail.getRow(5 + i);
      expect([row.getCell(1).value, row.getCell(7).value, row.getCell(8).value]).toEqual([
        m.tasks.find((t) => t.id === c.taskId)!.title,
        PROGRESS_LABELS[c.status],
        c.progress / 100,
      ]);
    });
    const html = await call<string>("plans.matrix.export", { year: 2026, format: "html" }, "hr");
    expect(html).toContain("<title>2026年度全市财政系统年度任务完成情况</title>");
    expect(html).toContain("预算绩效管理扩面");
    expect(html).toContain("@page { size: A4 landscape");
    expect((await rejection(call("plans.matrix.export", { year: 2026 }, "budgetStaff"))).code).toBe(403);
    expect((await rejection(call("plans.matrix.export", { year: 2026, format: "pdf" }, "hr"))).code).toBe(422);
  });

  test("when the overdue list is asked for on 8 April, then divisions without March's report are on it and the budget division is not", async () => {
    const list = await call<OverdueReport[]>("plans.overdue.list", { date: "2026-04-08", orgId: "city" });
    const march = list.filter((r) => r.kind === "completion" && r.month === 3);
    expect(march.find((r) => r.divisionId === "city-treasury")).toMatchObject({
      dueDate: "2026-04-07",
      daysOverdue: 1,
    });
    expect(march.find((r) => r.divisionId === "city-budget")).toBeUndefined();
    const arr = list.filter((r) => r.kind === "arrangement" && r.month === 4 && r.divisionId === "city-budget");
    expect(arr).toEqual([expect.objectContaining({ dueDate: "2026-03-31", daysOverdue: 8 })]);
  });

  test("when a user calls the internal overdue list, then 403", async () => {
    expect((await rejection(call("plans.overdue.list", {}, "hr"))).code).toBe(403);
  });
});

describe("evidence from work logs", () => {
  let log: LogView;

  test("when a log linked to the task is published, then the task lists its title and counts it", async () => {
    log = await call<LogView>(
      "worklog.logs.create",
      { done: "审核绩效目标12项\n另：整理台账", taskIds: [shared.id, "t-unknown"] },
      "budgetStaff",
    );
    const ev = await waitFor(
      () => call<TaskEvidence>("plans.tasks.evidence", { id: shared.id }, "budgetStaff"),
      (e) => e.count === 1,
    );
    expect(ev.logs).toEqual([
      {
        logId: log.id,
        title: "审核绩效目标12项",
        authorStaffId: staff.budgetStaff.id,
        authorName: "预算科员",
        divisionId: "city-budget",
        date: "2026-03-10",
      },
    ]);
    const t = await waitFor(
      () => call<DivisionPlan>("plans.tasks.forDivision", { divisionId: "city-budget" }, "budgetStaff"),
      (p) => p.leading.find((x) => x.id === shared.id)?.evidenceCount === 1,
    );
    expect(t.leading.find((x) => x.id === shared.id)!.parts[0].evidenceCount).toBe(1);
  });

  test("when the same event is delivered again, then the evidence count stays at one", async () => {
    const event = {
      logId: log.id,
      kind: "personal" as const,
      authorStaffId: staff.budgetStaff.id,
      authorName: "预算科员",
      orgId: "city",
      divisionId: "city-budget",
      date: "2026-03-10",
      version: 1,
      title: "审核绩效目标12项",
      publishedAt: TODAY.toISOString(),
      late: false,
      tags: [],
      taskIds: [shared.id],
    };
    await publish(broker, "worklog.log.published", event, `${log.id}:v1:published`);
    await publish(broker, "worklog.log.published", event, `${log.id}:v1:replayed`);
    await new Promise((r) => setTimeout(r, 1500));
    const ev = await call<TaskEvidence>("plans.tasks.evidence", { id: shared.id }, "budgetStaff");
    expect(ev.count).toBe(1);
  });

  test("when the log is withdrawn, then it leaves the evidence list", async () => {
    await call("worklog.logs.withdraw", { id: log.id, reason: "写错了" }, "budgetStaff");
    const ev = await waitFor(
      () => call<TaskEvidence>("plans.tasks.evidence", { id: shared.id }, "budgetStaff"),
      (e) => e.count === 0,
    );
    expect(ev.logs).toEqual([]);
  });
});

describe("deadline settings", () => {
  test("when HR sets the report day to 15, then January's report is due after the Spring Festival holiday", async () => {
    await call("plans.deadlines.set", { completionDueDay: 15 }, "hr");
    const d = await call("plans.deadlines.get", { year: 2026, month: 1 }, "budgetStaff");
    expect(d).toMatchObject({ completionDueDay: 15, arrangementDue: "2025-12-31", completionDue: "2026-02-24" });
    await call("plans.deadlines.set", { completionDueDay: 5 }, "hr");
  });

  test("when a division head sets deadlines, then 403", async () => {
    expect((await rejection(call("plans.deadlines.set", { completionDueDay: 10 }, "budgetHead"))).code).toBe(403);
  });
});
