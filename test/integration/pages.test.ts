/**
 * The pages service with the real personnel, worklog and plans services on separate brokers over
 * NATS and FerretDB: every section of the person, division and organisation pages checked against
 * data made here and hand-computed, what each role sees of it, 404s, and the personnel copy the
 * pages keep following staff changes.
 */
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import { ManualClock } from "../../shared/clock";
import type { DivisionPage, OrgPage, PersonPage } from "../../shared/contracts/pages";
import type { Post, StaffDetail, StaffView } from "../../shared/contracts/personnel";
import type { ComplianceReport, LogView } from "../../shared/contracts/worklog";
import type { TaskView } from "../../shared/contracts/plans";
import { castOf, rejection } from "../support/cast";

/** Wednesday 18 March 2026, 10:00 in Shanghai. March has no holidays: 13 working days up to today. */
const TODAY = new Date("2026-03-18T02:00:00Z");
const at = (date: string) => new Date(`${date}T02:00:00Z`);
const clock = new ManualClock(TODAY);
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;

type Who = "head" | "b" | "c" | "treasuryHead" | "hr" | "countyAdmin";
const { staff, call } = castOf<Who>(() => broker, {
  head: ["division_head"],
  b: ["staff"],
  c: ["staff"],
  treasuryHead: ["division_head"],
  hr: ["hr_admin"],
  countyAdmin: ["county_admin"],
});

const withClock = (s: ServiceSchema): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() } } }) as ServiceSchema;

async function newStaff(name: string, orgId: string, divisionId: string, phone?: string): Promise<StaffView> {
  return call<StaffView>("personnel.staff.create", {
    orgId,
    divisionId,
    name,
    gender: "female",
    birthDate: "1988-06-01",
    education: "本科",
    politicalStatus: "中共党员",
    title: "科员",
    hireDate: "2012-07-01",
    ...(phone ? { phone } : {}),
  });
}

/** A log written by `w` for `date` at 10:00 that day (on time), or at `writtenOn` (late). */
async function log(w: Who, date: string, done: string, writtenOn = date): Promise<LogView> {
  clock.set(at(writtenOn));
  try {
    return await call<LogView>("worklog.logs.create", { date, done }, w);
  } finally {
    clock.set(TODAY);
  }
}

const zeroCounts = {
  present: 0,
  leave_personal: 0,
  leave_sick: 0,
  leave_annual: 0,
  business_trip: 0,
  training: 0,
  absent: 0,
  notRecorded: 0,
};

/** 预算甲's March: 3 recorded days of 13 working days so far. */
const B_ATTENDANCE = {
  year: 2026,
  month: 3,
  workingDays: 13,
  counts: { ...zeroCounts, present: 1, leave_sick: 1, business_trip: 1, notRecorded: 10 },
};

let post: Post;
let t1: TaskView;
let t2: TaskView;
const logs: Record<string, LogView> = {};

beforeAll(async () => {
  const named = async (n: "personnel" | "worklog" | "plans" | "pages") => (await schemas(n)).map(withClock);
  nodes = [
    await startNode("personnel", await named("personnel")),
    await startNode("worklog", await named("worklog")),
    await startNode("plans", await named("plans")),
    await startNode("pages", await named("pages")),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "worklog", "plans", "pages"], 30_000);
  staff.head = await newStaff("预算处长", "city", "city-budget");
  staff.b = await newStaff("预算甲", "city", "city-budget", "13800000001");
  staff.c = await newStaff("预算乙", "city", "city-budget");
  staff.treasuryHead = await newStaff("国库处长", "city", "city-treasury");
  staff.hr = await newStaff("人教管理", "city", "city-hr");
  staff.countyAdmin = await newStaff("张北管理", "zhangbei", "zhangbei-budget");
  // 预算甲 holds the post, 预算乙 backs it up (AB岗).
  post = await call<Post>("personnel.posts.create", {
    divisionId: "city-budget",
    title: "预算编审岗",
    aHolderId: staff.b.id,
    bHolderId: staff.c.id,
  });
  await call("worklog.policies.set", { orgId: "city", personal: "daily" });
  // Worklog learns of new staff over the personnel channel: wait until it counts all five city staff.
  await waitFor(
    () => call<ComplianceReport>("worklog.compliance.report", { from: "2026-03-01", to: "2026-03-18", orgId: "city" }),
    (r) => r.people.length === 5,
  );

  // Plans: T1 led by the budget division (answered for by 预算甲) with the treasury cooperating;
  // T2 led by the treasury, due in February, with the budget division's part answered for by 预算乙.
  t1 = await call<TaskView>(
    "plans.tasks.create",
    {
      year: 2026,
      title: "预算绩效管理扩面",
      leadDivisionId: "city-budget",
      cooperatingDivisionIds: ["city-treasury"],
      responsibleStaffId: staff.b.id,
      targetText: "绩效目标覆盖全部项目",
      dueDate: "2026-06-30",
      weight: 30,
    },
    "head",
  );
  t2 = await call<TaskView>(
    "plans.tasks.create",
    {
      year: 2026,
      title: "国库集中支付改革",
      leadDivisionId: "city-treasury",
      cooperatingDivisionIds: ["city-budget"],
      responsibleStaffId: staff.treasuryHead.id,
      partResponsibles: { "city-budget": staff.c.id },
      targetText: "全部单位纳入",
      dueDate: "2026-02-27",
      weight: 20,
    },
    "treasuryHead",
  );
  const month = (scope: string, ownerId: string, m: number) => ({ scope, ownerId, year: 2026, month: m });
  await call(
    "plans.arrangements.submit",
    {
      ...month("division", "city-budget", 3),
      items: [{ text: "推进绩效目标审核", taskId: t1.id }, { text: "临时工作" }],
    },
    "head",
  );
  await call(
    "plans.arrangements.submit",
    { ...month("person", staff.b.id, 3), items: [{ text: "审核项目绩效目标", taskId: t1.id }] },
    "b",
  );
  await call(
    "plans.completion.submit",
    {
      ...month("division", "city-budget", 2),
      tasks: [
        { taskId: t1.id, status: "in_progress", progress: 40 },
        { taskId: t2.id, status: "done", progress: 100 },
      ],
    },
    "head",
  );
  await call(
    "plans.completion.submit",
    { ...month("person", staff.b.id, 2), tasks: [{ taskId: t1.id, status: "in_progress", progress: 40 }] },
    "b",
  );

  // Logs this month: 预算甲 on 10 March (on time) and 17 March (written on the 18th: late);
  // 预算乙 on 16 March (on time).
  logs.b10 = await log("b", "2026-03-10", "审核绩效目标12项");
  logs.c16 = await log("c", "2026-03-16", "整理国库支付台账");
  logs.b17 = await log("b", "2026-03-17", "复核项目库", "2026-03-18");

  await call("personnel.attendance.set", {
    divisionId: "city-budget",
    entries: [
      { staffId: staff.b.id, date: "2026-03-02", status: "present" },
      { staffId: staff.b.id, date: "2026-03-03", status: "leave_sick" },
      { staffId: staff.b.id, date: "2026-03-04", status: "business_trip" },
      { staffId: staff.c.id, date: "2026-03-02", status: "present" },
    ],
  });
}, 180_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

beforeEach(() => clock.set(TODAY));

/** A page once the copies the pages keep have caught up with the data made above. */
const settled = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => waitFor(probe, ok, 20_000);

describe("person page", () => {
  let page: PersonPage;
  beforeAll(async () => {
    page = await settled(
      () => call<PersonPage>("pages.person", { staffId: staff.b.id }, "hr"),
      (p) =>
        p.profile.backedUpBy?.person?.name === "预算乙" && !("unavailable" in p.logs) && p.logs.compliance?.done === 2,
    );
  });

  test("when HR opens it, then the profile has the personal fields and the A/B partner, as personnel gives it", async () => {
    expect(page.profile).toMatchObject({
      id: staff.b.id,
      name: "预算甲",
      divisionId: "city-budget",
      phone: "13800000001",
      birthDate: "1988-06-01",
      backedUpBy: { postId: post.id, postTitle: "预算编审岗", person: { staffId: staff.c.id, name: "预算乙" } },
      backsUp: [],
    });
    expect(page.profile).toEqual(await call<StaffDetail>("personnel.staff.get", { id: staff.b.id }, "hr"));
  });

  test("when the backup's page is opened, then it lists whom they back up", async () => {
    const c = await call<PersonPage>("pages.person", { staffId: staff.c.id }, "hr");
    expect(c.profile.backedUpBy).toBeNull();
    expect(c.profile.backsUp).toEqual([
      { postId: post.id, postTitle: "预算编审岗", person: { staffId: staff.b.id, name: "预算甲" } },
    ]);
  });

  test("then this year's tasks, this month's arrangement and last month's completion are the person's", () => {
    if ("unavailable" in page.plans) throw new Error("plans unavailable");
    expect(page.plans.tasks.map((t) => t.id)).toEqual([t1.id]);
    expect(page.plans.summary).toEqual({
      year: 2026,
      tasks: 1,
      done: 0,
      inProgress: 1,
      delayed: 0,
      notStarted: 0,
      late: 0,
      doneRate: 0,
      weightedProgress: 40,
    });
    expect(page.plans.thisMonth!.arrangement!.items.map((i) => [i.text, i.taskTitle])).toEqual([
      ["审核项目绩效目标", "预算绩效管理扩面"],
    ]);
    expect(page.plans.lastMonth!.completion!.tasks.map((t) => [t.taskId, t.status, t.progress])).toEqual([
      [t1.id, "in_progress", 40],
    ]);
  });

  test("then recent logs are the person's, newest first, and compliance counts 2 of 12 working days", () => {
    if ("unavailable" in page.logs) throw new Error("logs unavailable");
    expect(page.logs.recent.map((l) => l.id)).toEqual([logs.b17.id, logs.b10.id]);
    // Daily rule: 2–17 March are due (18 March is due at 19:00, after "now"); 17 March's was late.
    expect(page.logs.compliance).toMatchObject({ staffId: staff.b.id, due: 12, done: 2, onTime: 1, rate: 0.1667 });
    expect([page.logs.from, page.logs.to]).toEqual(["2026-03-01", "2026-03-18"]);
  });

  test("when attendance was entered, then the page counts the recorded days and the working days not recorded", async () => {
    // The pages' copy of the month follows personnel.attendance.changed.
    const fresh = await settled(
      () => call<PersonPage>("pages.person", { staffId: staff.b.id }, "hr"),
      (p) => p.attendance !== null,
    );
    expect(fresh.attendance).toEqual(B_ATTENDANCE);
  });

  test("then the indicators slot is there, empty until the assessment service lands", () => {
    expect(page).toHaveProperty("indicators", null);
  });

  test("when a colleague opens it, then no personal fields and no attendance, the rest the same", async () => {
    const seen = await call<PersonPage>("pages.person", { staffId: staff.b.id }, "c");
    for (const f of ["phone", "birthDate", "age"]) expect(seen.profile).not.toHaveProperty(f);
    expect(seen.profile.backedUpBy).toEqual(page.profile.backedUpBy);
    expect(seen.attendance).toEqual({ unavailable: true, reason: "forbidden" });
    expect(seen.plans).toEqual(page.plans);
    expect(seen.logs).toEqual(page.logs);
  });

  test("when the person opens their own page, then they see their attendance but not the HR-only fields", async () => {
    const own = await call<PersonPage>("pages.person", { staffId: staff.b.id }, "b");
    expect(own.attendance).toEqual(B_ATTENDANCE);
    expect(own.profile).not.toHaveProperty("phone");
  });

  test("when the division head opens it, then attendance shows and personal fields do not", async () => {
    const head = await call<PersonPage>("pages.person", { staffId: staff.b.id }, "head");
    expect(head.attendance).toEqual(B_ATTENDANCE);
    expect(head.profile).not.toHaveProperty("birthDate");
  });

  test("when another organisation's admin opens it, then neither personal fields nor attendance", async () => {
    const county = await call<PersonPage>("pages.person", { staffId: staff.b.id }, "countyAdmin");
    expect(county.profile).not.toHaveProperty("phone");
    expect(county.attendance).toEqual({ unavailable: true, reason: "forbidden" });
  });
});

describe("division page", () => {
  let page: DivisionPage;
  beforeAll(async () => {
    page = await settled(
      () => call<DivisionPage>("pages.division", { divisionId: "city-budget" }, "hr"),
      (p) => !("unavailable" in p.members) && p.members.length === 3,
    );
  });

  test("then the plan shows the led task whole and the cooperated task with the division's own part", () => {
    if ("unavailable" in page.plans) throw new Error("plans unavailable");
    expect(page.division).toMatchObject({ id: "city-budget", orgId: "city" });
    expect(page.org.id).toBe("city");
    expect(page.plans.plan.leading.map((t) => [t.id, t.parts.map((p) => p.divisionId)])).toEqual([
      [t1.id, ["city-budget", "city-treasury"]],
    ]);
    expect(page.plans.plan.cooperating.map((t) => [t.id, t.parts.map((p) => p.divisionId)])).toEqual([
      [t2.id, ["city-budget"]],
    ]);
    // Own parts: T1 in progress at 40 % (weight 30), T2 done (weight 20): (30×40 + 20×100) / 50 = 64.
    expect(page.plans.summary).toMatchObject({
      tasks: 2,
      done: 1,
      inProgress: 1,
      late: 0,
      doneRate: 0.5,
      weightedProgress: 64,
    });
    expect(page.plans.thisMonth!.arrangement!.items.map((i) => [i.text, i.noTask])).toEqual([
      ["推进绩效目标审核", false],
      ["临时工作", true],
    ]);
    expect(page.plans.lastMonth!.completion!.tasks.map((t) => [t.taskId, t.status])).toEqual([
      [t1.id, "in_progress"],
      [t2.id, "done"],
    ]);
  });

  test("then recent logs are the division's and compliance is 3 of 36 person-days", () => {
    if ("unavailable" in page.logs) throw new Error("logs unavailable");
    expect(page.logs.recent.map((l) => l.id)).toEqual([logs.b17.id, logs.c16.id, logs.b10.id]);
    expect(page.logs.compliance).toEqual({ id: "city-budget", people: 3, due: 36, done: 3, onTime: 2, rate: 0.0833 });
  });

  test("then the members are listed with their own compliance, personal fields for HR", () => {
    if ("unavailable" in page.members) throw new Error("members unavailable");
    const byId = [staff.head, staff.b, staff.c].map((s) => s.id).sort();
    expect(page.members.map((m) => m.id)).toEqual(byId);
    const b = page.members.find((m) => m.id === staff.b.id)!;
    expect(b.phone).toBe("13800000001");
    expect(b.compliance).toMatchObject({ due: 12, done: 2 });
    expect(page.members.find((m) => m.id === staff.head.id)!.compliance).toMatchObject({ due: 12, done: 0 });
  });

  test("then attendance sums the members' month", async () => {
    const fresh = await call<DivisionPage>("pages.division", { divisionId: "city-budget" }, "hr");
    expect(fresh.attendance).toEqual({
      year: 2026,
      month: 3,
      workingDays: 13,
      counts: { ...zeroCounts, present: 2, leave_sick: 1, business_trip: 1, notRecorded: 3 * 13 - 4 },
    });
    expect(fresh.indicators).toBeNull();
  });

  test("when a day of attendance is entered after the page was read, then the page counts it", async () => {
    await call("personnel.attendance.set", {
      divisionId: "city-budget",
      entries: [{ staffId: staff.head.id, date: "2026-03-05", status: "training" }],
    });
    const fresh = await settled(
      () => call<DivisionPage>("pages.division", { divisionId: "city-budget" }, "hr"),
      (p) => !!p.attendance && !("unavailable" in p.attendance) && p.attendance.counts.training === 1,
    );
    expect(fresh.attendance).toMatchObject({ counts: { present: 2, training: 1, notRecorded: 3 * 13 - 5 } });
  });

  test("when a staff member opens it, then members come without personal fields and attendance is withheld", async () => {
    const seen = await call<DivisionPage>("pages.division", { divisionId: "city-budget" }, "c");
    if ("unavailable" in seen.members) throw new Error("members unavailable");
    expect(seen.members.find((m) => m.id === staff.b.id)).not.toHaveProperty("phone");
    expect(seen.attendance).toEqual({ unavailable: true, reason: "forbidden" });
    expect(seen.plans).toEqual(page.plans);
  });
});

describe("organisation page", () => {
  test("then it lists the divisions, the overall task completion and the compliance", async () => {
    const page = await settled(
      () => call<OrgPage>("pages.org", { orgId: "city" }, "b"),
      (p) => !("unavailable" in p.compliance) && p.compliance.org?.done === 3,
    );
    expect(page.org).toMatchObject({ id: "city" });
    expect(page.divisions.map((d) => d.id)).toEqual(expect.arrayContaining(["city-budget", "city-treasury"]));
    if ("unavailable" in page.plans || "unavailable" in page.compliance) throw new Error("section unavailable");
    // By the lead's part: T1 in progress at 40 % (w 30), T2 not started and past due (w 20): 1200 / 50 = 24.
    expect(page.plans.summary).toMatchObject({ tasks: 2, done: 0, inProgress: 1, notStarted: 1, late: 1 });
    expect(page.plans.summary.weightedProgress).toBe(24);
    const rows = new Map(page.plans.divisions.map((d) => [d.divisionId, d]));
    expect(rows.get("city-budget")).toMatchObject({
      tasks: 2,
      done: 1,
      arrangementSubmitted: true,
      completionSubmitted: true,
    });
    expect(rows.get("city-treasury")).toMatchObject({
      tasks: 2,
      notStarted: 2,
      late: 1,
      arrangementSubmitted: false,
      completionSubmitted: false,
    });
    // Five city staff on the daily rule, 12 days each; three logs, two on time.
    expect(page.compliance.org).toEqual({ id: "city", people: 5, due: 60, done: 3, onTime: 2, rate: 0.05 });
    expect(page.compliance.divisions.find((d) => d.id === "city-budget")).toMatchObject({ due: 36, done: 3 });
    expect(page.indicators).toBeNull();
  });
});

describe("bad requests", () => {
  test("when the person, division or organisation does not exist, then 404", async () => {
    expect(await rejection(call("pages.person", { staffId: "s-99999" }, "hr"))).toMatchObject({ code: 404 });
    expect(await rejection(call("pages.division", { divisionId: "no-such" }, "hr"))).toMatchObject({
      code: 404,
      type: "DIVISION_NOT_FOUND",
    });
    expect(await rejection(call("pages.org", { orgId: "no-such" }, "hr"))).toMatchObject({
      code: 404,
      type: "ORG_NOT_FOUND",
    });
  });

  test("when the id is missing, empty or not a string, then 422 on that field", async () => {
    for (const params of [{}, { staffId: "" }, { staffId: { $gt: "" } }]) {
      const err = await rejection(call("pages.person", params, "hr"));
      expect(err.code).toBe(422);
      expect(err.data[0].field).toBe("staffId");
    }
  });
});

describe("the personnel copy the pages keep", () => {
  test("when a staff record changes, then the page shows the change", async () => {
    await call("personnel.staff.update", { id: staff.b.id, title: "四级主任科员" });
    const page = await settled(
      () => call<PersonPage>("pages.person", { staffId: staff.b.id }, "hr"),
      (p) => p.profile.title === "四级主任科员",
    );
    expect(page.profile.version).toBeGreaterThan(staff.b.version);
  });

  test("when a log is published after the page was read, then the page's compliance counts it", async () => {
    const before = await call<PersonPage>("pages.person", { staffId: staff.c.id }, "hr");
    expect(before.logs).toMatchObject({ compliance: { due: 12, done: 1 } });
    await log("c", "2026-03-18", "核对支付凭证");
    const after = await settled(
      () => call<PersonPage>("pages.person", { staffId: staff.c.id }, "hr"),
      (p) => !("unavailable" in p.logs) && p.logs.compliance?.done === 2,
    );
    // Today's log counts today as due although its deadline (19:00) has not passed.
    expect(after.logs).toMatchObject({ compliance: { due: 13, done: 2, onTime: 2 } });
  });

  test("when someone joins the division, then the division page lists them", async () => {
    const d = await newStaff("预算丙", "city", "city-budget");
    const person = await call<PersonPage>("pages.person", { staffId: d.id }, "hr");
    expect(person.profile).toMatchObject({ id: d.id, name: "预算丙" });
    const page = await settled(
      () => call<DivisionPage>("pages.division", { divisionId: "city-budget" }, "hr"),
      (p) => !("unavailable" in p.members) && p.members.some((m) => m.id === d.id),
    );
    expect((page.members as StaffView[]).length).toBe(4);
  });
});
