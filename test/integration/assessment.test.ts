/**
 * The assessment service with the real personnel, worklog and plans services on separate brokers
 * over NATS and FerretDB: counters fed by every source (indicator facts, attendance, logs, tasks,
 * monthly submissions, learning records), idempotence, freshness, rebuild = incremental, frozen
 * snapshots, permissions, bad input, and the .xlsx and print formats.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import ExcelJS from "exceljs";
import type { Middleware, ServiceBroker, ServiceSchema } from "moleculer";
import { ManualClock } from "../../shared/clock";
import type {
  DivisionResult,
  IndicatorFact,
  LearningRecord,
  OrgResult,
  RebuildJob,
  Scheme,
  SnapshotDiff,
  SnapshotMeta,
  StaffBreakdown,
  StaffResult,
} from "../../shared/contracts/assessment";
import type { StaffView } from "../../shared/contracts/personnel";
import type { ComplianceReport } from "../../shared/contracts/worklog";
import type { TaskView } from "../../shared/contracts/plans";
import { publish } from "../../shared/events";
import type { ImportJob } from "../../shared/contracts/jobs";
import { castOf, rejection } from "../support/cast";
import { recordWrites } from "../support/writes";

/** Tuesday 10 March 2026, 10:00 in Shanghai. */
const clock = new ManualClock(new Date("2026-03-10T02:00:00Z"));
const YEAR = 2026;
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;

type Who = "a" | "b" | "head" | "hr" | "countyHr" | "countyStaff";
const { staff, call, user } = castOf<Who>(() => broker, {
  a: ["staff"],
  b: ["staff"],
  head: ["division_head"],
  hr: ["hr_admin"],
  countyHr: ["hr_admin"],
  countyStaff: ["staff"],
});

const withSettings = (s: ServiceSchema, extra: object = {}): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() }, ...extra } }) as ServiceSchema;

/** Imports a learning file as `who` and follows its job (202) to the end. */
async function importLearning(file: string, who: Who): Promise<ImportJob> {
  const meta: Record<string, unknown> = { user: user(who) };
  const { job } = (await broker.call("assessment.learning.import", { file }, { meta })) as { job: ImportJob };
  expect(meta.$statusCode).toBe(202);
  return waitFor(
    () => call<ImportJob>("assessment.imports.jobs.get", { id: job.id }, who),
    (j) => j.state !== "running",
    60_000,
  );
}

async function newStaff(name: string, orgId: string, divisionId: string): Promise<StaffView> {
  return broker.call(
    "personnel.staff.create",
    {
      orgId,
      divisionId,
      name,
      gender: "female",
      birthDate: "1988-05-01",
      education: "本科",
      politicalStatus: "中共党员",
      title: "科员",
      hireDate: "2012-07-01",
    },
    SYSTEM,
  ) as Promise<StaffView>;
}

const breakdown = (staffId: string, w: Who = "hr") =>
  call<StaffBreakdown>("assessment.breakdown", { staffId, year: YEAR }, w);
const division = async (divisionId: string, orgId = "city"): Promise<DivisionResult> =>
  (await call<DivisionResult[]>("assessment.summary.divisions", { year: YEAR, orgId }, "hr")).find(
    (d) => d.divisionId === divisionId,
  )!;

const fact = (over: Partial<IndicatorFact> = {}): IndicatorFact => ({
  factId: "info:r1",
  version: 1,
  kind: "information",
  staffId: staff.a.id,
  orgId: "city",
  divisionId: "city-budget",
  date: "2026-03-02",
  value: 3,
  label: "预算执行情况专报（市级采用）",
  level: "city",
  ...over,
});

/** Every number the summaries show, for comparing two states of the read model. */
async function allNumbers(): Promise<unknown> {
  const [counties, city, zhangbei, cityStaff, countyStaff] = await Promise.all([
    call<OrgResult[]>("assessment.summary.counties", { year: YEAR }, "hr"),
    call<DivisionResult[]>("assessment.summary.divisions", { year: YEAR, orgId: "city" }, "hr"),
    call<DivisionResult[]>("assessment.summary.divisions", { year: YEAR, orgId: "zhangbei" }, "hr"),
    call<StaffResult[]>("assessment.summary.staff", { year: YEAR, orgId: "city" }, "hr"),
    call<StaffResult[]>("assessment.summary.staff", { year: YEAR, orgId: "zhangbei" }, "hr"),
  ]);
  return { counties, city, zhangbei, cityStaff, countyStaff };
}

/** When assessment asked worklog for an organisation's compliance report: organisation id and time. */
const reportsAsked: { orgId: string; at: number }[] = [];
type Call = (name: string, params: unknown, opts: unknown) => Promise<unknown>;
const reportCalls: Middleware = {
  name: "ReportCalls",
  // moleculer's typings give this hook the wrong shape: it wraps `broker.call` and returns the wrapper.
  call: ((next: Call): Call =>
    (name, params, opts) => {
      if (name === "worklog.compliance.report")
        reportsAsked.push({ orgId: (params as { orgId: string }).orgId, at: Date.now() });
      return next(name, params, opts);
    }) as unknown as Middleware["call"],
};

let task: TaskView;

beforeAll(async () => {
  const [plansSchema] = await schemas("plans");
  const [worklogSchema] = await schemas("worklog");
  const [assessmentSchema] = await schemas("assessment");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("worklog", [withSettings(worklogSchema)]),
    await startNode("plans", [withSettings(plansSchema)]),
    await startNode("assessment", [withSettings(assessmentSchema, { logSweepMs: 0 })], [reportCalls]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "worklog", "plans", "assessment"], 30_000);
  staff.a = await newStaff("甲预算", "city", "city-budget");
  staff.b = await newStaff("乙预算", "city", "city-budget");
  staff.head = await newStaff("丙处长", "city", "city-budget");
  staff.hr = await newStaff("丁人教", "city", "city-hr");
  staff.countyHr = await newStaff("戊人事", "zhangbei", "zhangbei-hr");
  staff.countyStaff = await newStaff("己预算", "zhangbei", "zhangbei-budget");
  // The assessment's staff copy follows personnel's staff events, its log compliance worklog's.
  await waitFor(
    () => call<StaffResult[]>("assessment.summary.staff", { year: YEAR, orgId: "zhangbei" }, "hr"),
    (rows) => rows.length === 2 && rows.every((r) => r.logs.due > 0),
  );
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

describe("counters fed by durable events", () => {
  test("when an information fact is published, then the person's indicator shows it within 2 s", async () => {
    await publish(broker, "indicator.fact.recorded", fact());
    const b = await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.indicators.informationPoints === 3,
      2000,
    );
    expect(b.facts).toEqual([
      {
        factId: "info:r1",
        kind: "information",
        date: "2026-03-02",
        value: 3,
        label: "预算执行情况专报（市级采用）",
        level: "city",
      },
    ]);
    expect((await division("city-budget")).indicators.informationPoints).toBe(3);
  });

  test("when facts are redelivered, repeated or arrive out of order, then each counts once at its newest version", async () => {
    const e = await publish(broker, "indicator.fact.recorded", fact({ version: 2, value: 5, level: "province" }));
    await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.indicators.informationPoints === 5,
      2000,
    );
    // The same event again, the older version again, and a retracted fact with the same id.
    await publish(broker, "indicator.fact.recorded", e.data, e.id);
    await publish(broker, "indicator.fact.recorded", fact({ version: 1, value: 3 }));
    await publish(
      broker,
      "indicator.fact.recorded",
      fact({ factId: "pub:p9", version: 1, kind: "publicity", value: 2 }),
    );
    await publish(
      broker,
      "indicator.fact.recorded",
      fact({ factId: "pub:p9", version: 2, kind: "publicity", value: 0 }),
    );
    await publish(broker, "indicator.fact.recorded", fact({ factId: "pub:p1", kind: "publicity", value: 1.5 }));
    const b = await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.indicators.publicityItems === 1 && r.indicators.publicityPoints === 1.5,
    );
    expect(b.indicators).toMatchObject({
      informationPoints: 5,
      informationItems: 1,
      publicityPoints: 1.5,
      publicityItems: 1,
    });
  });

  test("when attendance is entered and corrected in personnel, then the counters follow within 2 s", async () => {
    await call(
      "personnel.attendance.set",
      {
        divisionId: "city-budget",
        entries: [
          { staffId: staff.a.id, date: "2026-03-02", status: "present" },
          { staffId: staff.a.id, date: "2026-03-03", status: "absent" },
          { staffId: staff.a.id, date: "2026-03-04", status: "leave_personal" },
        ],
      },
      "head",
    );
    await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.attendance?.recorded === 3 && r.attendance.absent === 1,
      2000,
    );
    await call(
      "personnel.attendance.set",
      { divisionId: "city-budget", entries: [{ staffId: staff.a.id, date: "2026-03-03", status: "present" }] },
      "head",
    );
    const b = await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.attendance?.absent === 0,
      2000,
    );
    expect(b.attendance).toMatchObject({ recorded: 3, present: 2, absent: 0, leavePersonal: 1 });
    // 100 − 1 day of personal leave × 1 point (the default scheme).
    expect(b.items.find((i) => i.item === "attendance")!.score).toBe(99);
  });

  test("when an attendance event is redelivered or an older write arrives late, then the counters keep the newest day", async () => {
    // Older than personnel's correction of 3 March: must not bring the absence back.
    const stale = await publish(broker, "personnel.attendance.changed", {
      at: "2026-01-01T00:00:00.000Z",
      entries: [
        { staffId: staff.a.id, orgId: "city", divisionId: "city-budget", date: "2026-03-03", status: "absent" },
      ],
    });
    await publish(broker, "personnel.attendance.changed", stale.data, stale.id);
    // A new day through personnel (so that the rebuild below finds it too).
    await call(
      "personnel.attendance.set",
      { divisionId: "city-budget", entries: [{ staffId: staff.a.id, date: "2026-03-05", status: "training" }] },
      "head",
    );
    const b = await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.attendance?.recorded === 4,
    );
    expect(b.attendance).toMatchObject({ recorded: 4, present: 2, absent: 0, leavePersonal: 1, training: 1 });
  });

  test("when a log is published, then the person's log compliance counts it within 2 s", async () => {
    await call("worklog.logs.create", { done: "审核部门预算调整方案，提出修改意见" }, "a");
    const b = await waitFor(
      () => breakdown(staff.a.id),
      (r) => r.logs.done === 1,
      2000,
    );
    expect(b.logs.due).toBeGreaterThanOrEqual(1);
    expect(b.logs.onTime).toBe(1);
  });

  test("when logs are published, edited and withdrawn in a burst, then the person's and the organisation's counts equal worklog's report, and no report was asked for", async () => {
    const since = Date.now();
    // Eight days back to today (the back-dating limit), 200 ms apart: the old design's refresh window.
    const days = ["2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"];
    const ids: string[] = [];
    for (const date of days) {
      ids.push(
        (await call<{ id: string }>("worklog.logs.create", { date, done: `预算执行分析 ${date}` }, "countyStaff")).id,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    // One moved to today, one withdrawn: the counts go down as well as up.
    await call("worklog.logs.update", { id: ids[0], date: "2026-03-10" }, "countyStaff");
    await call("worklog.logs.withdraw", { id: ids[1] }, "countyStaff");
    const report = await broker.call<ComplianceReport, object>(
      "worklog.compliance.report",
      { from: "2026-01-01", to: "2026-12-31", orgId: "zhangbei" },
      SYSTEM,
    );
    const row = report.people.find((p) => p.staffId === staff.countyStaff.id)!;
    // The county's rule is weekly: the week of 2 March and the week of 9 March.
    expect(row).toMatchObject({ rule: "weekly", done: 2 });
    const counts = (c: { due: number; done: number; onTime: number }) => ({
      due: c.due,
      done: c.done,
      onTime: c.onTime,
    });
    const person = await waitFor(
      () => breakdown(staff.countyStaff.id),
      (b) => b.logs.done === row.done,
      5000,
    );
    expect(counts(person.logs)).toEqual(counts(row));
    const county = (await call<OrgResult[]>("assessment.summary.counties", { year: YEAR }, "hr")).find(
      (o) => o.orgId === "zhangbei",
    )!;
    expect(counts(county.logs)).toEqual(counts(report.orgs.find((o) => o.id === "zhangbei")!));
    // Assessment asks for no report: it stores what worklog publishes.
    expect(reportsAsked.filter((r) => r.at >= since)).toEqual([]);
  });

  test("when a task is created, approved and reported on, then the division's task and timeliness counters follow", async () => {
    task = await call<TaskView>(
      "plans.tasks.create",
      {
        year: YEAR,
        title: "预算绩效目标全覆盖",
        leadDivisionId: "city-budget",
        cooperatingDivisionIds: ["zhangbei-budget"],
        responsibleStaffId: staff.head.id,
        targetText: "全部项目设定绩效目标",
        dueDate: "2026-06-30",
        weight: 10,
      },
      "head",
    );
    await call("plans.tasks.approve", { id: task.id }, "hr");
    await waitFor(
      () => division("city-budget"),
      (d) => d?.tasks.parts === 1,
      2000,
    );
    await call(
      "plans.completion.submit",
      {
        scope: "division",
        ownerId: "city-budget",
        year: YEAR,
        month: 2,
        tasks: [{ taskId: task.id, status: "in_progress", progress: 40 }],
      },
      "head",
    );
    const d = await waitFor(
      () => division("city-budget"),
      (x) => x.tasks.inProgress === 1 && x.timeliness.submitted === 1,
      2000,
    );
    expect(d.tasks).toMatchObject({ parts: 1, inProgress: 1, done: 0, weightedProgress: 40 });
    // February's completion report was due on 5 March; on 10 March it is late.
    expect(d.timeliness.onTime).toBe(0);
    expect(d.timeliness.due).toBeGreaterThanOrEqual(2);
    const county = await division("zhangbei-budget", "zhangbei");
    expect(county.tasks).toMatchObject({ parts: 1, notStarted: 1 });
  });
});

describe("learning records", () => {
  const record = (over: object = {}) => ({
    recordId: "LP-0001",
    staffId: staff.b.id,
    date: "2026-03-05",
    hours: 2.5,
    course: "预算法及实施条例解读",
    ...over,
  });

  test("when the platform pushes records twice, then they are stored once and counted once", async () => {
    const first = await call(
      "assessment.learning.push",
      { records: [record(), record({ recordId: "LP-0002", hours: 1 })] },
      "hr",
    );
    expect(first).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const again = await call(
      "assessment.learning.push",
      { records: [record(), record({ recordId: "LP-0002", hours: 1 })] },
      "hr",
    );
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 2 });
    const changed = await call("assessment.learning.push", { records: [record({ hours: 3 })] }, "hr");
    expect(changed).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const b = await breakdown(staff.b.id);
    expect(b.indicators).toMatchObject({ learningHours: 4, learningRecords: 2 });
    const list = await call<LearningRecord[]>("assessment.learning.list", { staffId: staff.b.id, year: YEAR }, "b");
    expect(list.map((r) => [r.recordId, r.hours, r.version])).toEqual([
      ["LP-0001", 3, 2],
      ["LP-0002", 1, 1],
    ]);
  });

  test("when a pushed record is bad, then 422 names the record's field and nothing is written", async () => {
    const err = await rejection(
      call(
        "assessment.learning.push",
        { records: [record({ recordId: "LP-0003" }), record({ recordId: "LP-0004", hours: 30, staffId: "s-nobody" })] },
        "hr",
      ),
    );
    expect(err.code).toBe(422);
    expect(err.data.map((f: any) => f.field).sort()).toEqual(["records[1].hours", "records[1].staffId"]);
    const b = await breakdown(staff.b.id);
    expect(b.indicators.learningRecords).toBe(2);
  });

  test("when a CSV export has bad rows, then every bad cell is reported by row and column and nothing is written", async () => {
    const csv = [
      "记录编号,工号,姓名,学习日期,学时,课程名称",
      `LP-1001,${staff.b.id},乙预算,2026/3/6,2,政府会计制度实务`,
      `LP-1002,${staff.b.id},别人,2026-03-07,abc,保密知识培训`,
      `LP-1003,s-99999,某人,2026-02-30,1,"公文写作, 与处理"`,
    ].join("\r\n");
    const err = await rejection(
      call("assessment.learning.import", { file: Buffer.from(csv).toString("base64") }, "hr"),
    );
    expect(err.code).toBe(422);
    expect(err.data.map((f: any) => [f.row, f.column])).toEqual([
      [3, "姓名"],
      [3, "学时"],
      [4, "工号"],
      [4, "学习日期"],
    ]);
    expect((await breakdown(staff.b.id)).indicators.learningRecords).toBe(2);
  });

  test("when a good .xlsx export is imported, then its records count", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("学习记录");
    ws.addRow(["记录编号", "工号", "姓名", "学习日期", "学时", "课程名称"]);
    ws.addRow(["LP-2001", staff.b.id, "乙预算", "2026-03-06", 2, "政府会计制度实务"]);
    ws.addRow(["LP-2002", staff.countyStaff.id, "己预算", "2026-03-06", 1.5, "保密知识培训"]);
    const file = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
    // A county HR admin may not record for the city's staff: row 2 is refused, nothing written.
    const err = await rejection(call("assessment.learning.import", { file }, "countyHr"));
    expect(err.data.map((f: any) => [f.row, f.column])).toEqual([[2, "工号"]]);
    expect((await importLearning(file, "hr")).result).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await breakdown(staff.b.id)).indicators.learningHours).toBe(6);
  });

  test("when the platform's export comes back unchanged, then nothing is written; with 10 rows changed, exactly those", async () => {
    // Of the year before, so the scores the later tests check stay as they are.
    const rows = Array.from({ length: 30 }, (_, i) => [
      `LP-3${String(i).padStart(3, "0")}`,
      i % 2 ? staff.a.id : staff.b.id,
      i % 2 ? "甲预算" : "乙预算",
      `${YEAR - 1}-04-${String((i % 28) + 1).padStart(2, "0")}`,
      1,
      `课程 ${i}`,
    ]);
    const csv = (rs: (string | number)[][]): string =>
      Buffer.from(["记录编号,工号,姓名,学习日期,学时,课程名称", ...rs.map((r) => r.join(","))].join("\r\n")).toString(
        "base64",
      );
    expect((await importLearning(csv(rows), "hr")).result).toEqual({ created: 30, updated: 0, unchanged: 0 });
    const lastYear = (staffId: string) =>
      call<StaffBreakdown>("assessment.breakdown", { staffId, year: YEAR - 1 }, "hr");
    const hours = async () =>
      (await lastYear(staff.a.id)).indicators.learningHours + (await lastYear(staff.b.id)).indicators.learningHours;
    const before = await hours();

    let writes = recordWrites();
    try {
      const job = await importLearning(csv(rows), "hr");
      expect([job.result, job.total]).toEqual([{ created: 0, updated: 0, unchanged: 30 }, 0]);
      expect([writes.counts().learning, writes.counts().people]).toEqual([undefined, undefined]);
    } finally {
      writes.restore();
    }

    const changed = rows.map((r, i) => (i < 10 ? [...r.slice(0, 4), 2, r[5]] : r));
    writes = recordWrites();
    try {
      const job = await importLearning(csv(changed), "hr");
      expect([job.result, job.done, job.total]).toEqual([{ created: 0, updated: 10, unchanged: 20 }, 10, 10]);
      expect(writes.counts().learning).toBe(10);
    } finally {
      writes.restore();
    }
    expect(await waitFor(hours, (h) => h === before + 10)).toBe(before + 10);
  });

  test("when a county HR admin sends a city record's id for their own staff, then 422 names it and the city record stays", async () => {
    const before = await breakdown(staff.b.id);
    const err = await rejection(
      call(
        "assessment.learning.push",
        {
          records: [{ recordId: "LP-2001", staffId: staff.countyStaff.id, date: "2026-03-06", hours: 9, course: "改" }],
        },
        "countyHr",
      ),
    );
    expect([err.code, err.data.map((f: any) => f.field)]).toEqual([422, ["recordId"]]);
    const after = await breakdown(staff.b.id);
    expect(after.indicators.learningHours).toBe(before.indicators.learningHours);
    const list = await call<{ recordId: string; course: string }[]>(
      "assessment.learning.list",
      { staffId: staff.b.id, year: YEAR },
      "hr",
    );
    expect(list.find((r) => r.recordId === "LP-2001")?.course).toBe("政府会计制度实务");
  });
});

describe("rebuild", () => {
  test("when a county HR admin or staff asks for a rebuild or its status, then 403 and no job starts", async () => {
    expect((await rejection(call("assessment.rebuild", { year: YEAR }, "countyHr"))).code).toBe(403);
    expect((await rejection(call("assessment.rebuild", { year: YEAR }, "a"))).code).toBe(403);
    expect((await rejection(call("assessment.rebuild.latest", { year: YEAR }, "a"))).code).toBe(403);
    expect(await call("assessment.rebuild.latest", { year: YEAR }, "hr")).toBeNull();
  });

  test("when everything is recomputed from the sources, then every number equals the incremental one", async () => {
    const before = await allNumbers();
    // Asked twice at once: one job, both get it.
    const [job, again] = await Promise.all([
      call<RebuildJob>("assessment.rebuild", { year: YEAR }, "hr"),
      call<RebuildJob>("assessment.rebuild", { year: YEAR }, "hr"),
    ]);
    expect(job).toMatchObject({ year: YEAR, state: "running", error: null });
    expect(again.id).toBe(job.id);
    const done = await waitFor(
      () => call<RebuildJob>("assessment.rebuild.status", { id: job.id }, "hr"),
      (j) => j.state !== "running",
      60_000,
    );
    expect(done).toMatchObject({ state: "done", phase: "write", error: null });
    // This test runs without info: its facts are kept as counted, and the job says so.
    expect(done.warnings).toEqual(["info 服务不可用：信息报送和宣传保留现有计数"]);
    expect(done.done).toBe(done.total);
    expect(done.result).toMatchObject({ year: YEAR, tasks: 1, submissions: 1, attendanceDays: 4 });
    expect(await call("assessment.rebuild.latest", { year: YEAR }, "hr")).toEqual(done);
    expect(await allNumbers()).toEqual(before);
    // Once done, asking again starts a new job.
    const next = await call<RebuildJob>("assessment.rebuild", { year: YEAR }, "hr");
    expect(next.id).not.toBe(job.id);
    await waitFor(
      () => call<RebuildJob>("assessment.rebuild.status", { id: next.id }, "hr"),
      (j) => j.state === "done",
      60_000,
    );
    expect(await allNumbers()).toEqual(before);
  });

  test("when an unknown job is asked for, then 404", async () => {
    expect((await rejection(call("assessment.rebuild.status", { id: "2026-nope" }, "hr"))).code).toBe(404);
  });
});

describe("schemes, scores and permissions", () => {
  const scheme = async (): Promise<Scheme> => call<Scheme>("assessment.schemes.get", { year: YEAR }, "a");

  test("when staff or a county HR admin edits the scheme, then 403 and it is unchanged", async () => {
    const s = await scheme();
    const input = {
      year: YEAR,
      staffWeights: s.staffWeights,
      divisionWeights: s.divisionWeights,
      rules: s.rules,
      grades: s.grades,
    };
    expect((await rejection(call("assessment.schemes.set", input, "a"))).code).toBe(403);
    expect((await rejection(call("assessment.schemes.set", input, "countyHr"))).code).toBe(403);
    expect((await scheme()).isDefault).toBe(true);
  });

  test("when HR saves a bad scheme, then 422 names the field", async () => {
    const s = await scheme();
    const err = await rejection(
      call(
        "assessment.schemes.set",
        {
          year: YEAR,
          staffWeights: { ...s.staffWeights, logs: -5 },
          divisionWeights: s.divisionWeights,
          rules: { ...s.rules, unknown: 1 },
          grades: s.grades,
        },
        "hr",
      ),
    );
    expect(err.code).toBe(422);
    expect(err.data.map((f: any) => f.field)).toEqual(["staffWeights.logs", "rules.unknown"]);
  });

  test("when HR weights only learning, then a staff member's score is their learning score", async () => {
    const s = await scheme();
    const weights = Object.fromEntries(Object.keys(s.staffWeights).map((k) => [k, k === "learning" ? 1 : 0]));
    const saved = await call<Scheme>(
      "assessment.schemes.set",
      {
        year: YEAR,
        staffWeights: weights,
        divisionWeights: s.divisionWeights,
        rules: { ...s.rules, learningHours: 8 },
        grades: s.grades,
      },
      "hr",
    );
    expect(saved).toMatchObject({ isDefault: false, version: 1 });
    // b: 6 hours of a target of 8 → 75.0.
    const b = await breakdown(staff.b.id, "b");
    expect(b.score).toBe(75);
    expect(b.items.find((i) => i.item === "learning")).toMatchObject({ score: 75, weight: 1, points: 75 });
  });

  test("when someone else reads a breakdown, then private items are hidden; the person sees all", async () => {
    const own = await breakdown(staff.a.id, "a");
    expect(own.full).toBe(true);
    expect(own.attendance).toMatchObject({ recorded: 4 });
    const other = await breakdown(staff.a.id, "b");
    expect(other.full).toBe(false);
    expect(other.attendance).toBeNull();
    expect(other.items.find((i) => i.item === "attendance")).toMatchObject({ hidden: true, score: null });
    expect(other.items.find((i) => i.item === "information")).toMatchObject({ hidden: false });
    const rows = await call<StaffResult[]>("assessment.summary.staff", { year: YEAR, orgId: "city" }, "countyHr");
    expect(rows.every((r) => r.attendance === null)).toBe(true);
  });

  test("when the whole-bureau workbook is asked for by staff, then 403", async () => {
    const err = await rejection(call("assessment.export", { year: YEAR, table: "bureau" }, "a"));
    expect(err.code).toBe(403);
  });
});

describe("formats", () => {
  test("when the staff summary is exported, then the .xlsx holds the title, merged headers, values and print setup", async () => {
    const buf = await call<Buffer>(
      "assessment.export",
      { year: YEAR, table: "staff", divisionId: "city-budget" },
      "hr",
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(buf) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("干部汇总");
    expect(ws.getCell("A1").value).toBe("2026年度张家口市财政局预算处干部职工考核汇总表");
    expect(ws.getCell("A1").isMerged).toBe(true);
    const row3 = ws.getRow(3).values as unknown[];
    const row4 = ws.getRow(4).values as unknown[];
    expect(row3.slice(1, 7)).toEqual(["单位排名", "工号", "姓名", "单位", "处室", "工作日志"]);
    expect(row4.slice(6, 9)).toEqual(["应写", "已写", "完成率"]);
    expect(ws.getCell("F3").isMerged).toBe(true);
    const b = ws.getRow(5 + (await breakdown(staff.b.id)).rank - 1);
    expect(b.getCell(2).value).toBe(staff.b.id);
    expect(b.getCell(12).value).toBe(6);
    expect(b.getCell(21).value).toBe(75);
    expect(b.getCell(21).numFmt).toBe("0.00");
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(ws.pageSetup.printTitlesRow).toBe("3:4");
    expect(ws.headerFooter.oddFooter).toContain("&P");
  });

  test("when the print page is asked for, then it is HTML with A4 landscape print CSS and repeated headers", async () => {
    const html = await call<string>("assessment.print", { year: YEAR, table: "divisions", orgId: "city" }, "a");
    expect(html).toContain("size: A4 landscape");
    expect(html).toContain("display: table-header-group");
    expect(html).toContain("counter(page)");
    expect(html).toContain('<th colspan="5">年度任务</th>');
    expect(html).toContain("预算处");
  });
});

describe("freezing", () => {
  test("when HR freezes the year, then later source edits leave the published results, and the diff shows them", async () => {
    const before = await breakdown(staff.b.id);
    const meta = await call<SnapshotMeta>("assessment.freeze", { year: YEAR }, "hr");
    expect(meta.hash).toMatch(/^[0-9a-f]{64}$/);
    await call(
      "assessment.learning.push",
      { records: [{ recordId: "LP-9001", staffId: staff.b.id, date: "2026-03-09", hours: 2, course: "廉洁从政教育" }] },
      "hr",
    );
    const diff = await waitFor(
      () => call<SnapshotDiff>("assessment.snapshots.diff", { year: YEAR }, "hr"),
      (d) => !d.same,
    );
    expect(diff.hash).toBe(meta.hash);
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ level: "staff", id: staff.b.id, field: "score", frozen: 75, current: 100 }),
    );
    const after = await breakdown(staff.b.id);
    expect(after.frozen).toBe(true);
    expect(after.score).toBe(before.score);
    const snap = await call("assessment.snapshots.get", { year: YEAR }, "hr");
    expect(snap.hash).toBe(meta.hash);
    // Every person's results unredacted: a county's HR administrator is refused both.
    expect((await rejection(call("assessment.snapshots.get", { year: YEAR }, "countyHr"))).code).toBe(403);
    expect((await rejection(call("assessment.snapshots.diff", { year: YEAR }, "countyHr"))).code).toBe(403);
    expect((await rejection(call("assessment.freeze", { year: YEAR }, "hr"))).code).toBe(409);
    const s = await call<Scheme>("assessment.schemes.get", { year: YEAR }, "a");
    expect(s.frozen).toBe(true);
    const err = await rejection(
      call(
        "assessment.schemes.set",
        {
          year: YEAR,
          staffWeights: s.staffWeights,
          divisionWeights: s.divisionWeights,
          rules: s.rules,
          grades: s.grades,
        },
        "hr",
      ),
    );
    expect(err.code).toBe(409);
  });
});
