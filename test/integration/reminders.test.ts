/**
 * Reminders with the real worklog, gateway and the real twilio SDK against the local fake Twilio,
 * over NATS, Redis and FerretDB; a stub personnel directory (it holds legacy data personnel's own
 * checks would refuse today, such as a bad phone). One clock walks Thu 2 April → Wed 8 April 2026,
 * across the 清明 holiday (4–6 April).
 */
import { schemas, startNode, SYSTEM, useTestNamespace } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser, Role } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { OverdueReport } from "../../shared/contracts/plans";
import type {
  DailySummaryRow,
  OrgReminderSettingsView,
  SmsMessageView,
  SmsSearchResult,
  TickResult,
} from "../../shared/contracts/reminders";
import { smsEnvFor, startFakeTwilio, type FakeTwilio } from "../support/fake-twilio";

const at = (local: string): Date => new Date(`${local}:00+08:00`);
const clock = new ManualClock(at("2026-04-02T12:00"));
const hooks: { afterAccepted?: (id: string) => void } = {};
let fake: FakeTwilio;
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
const notifications: { id: string; data: { recipientStaffId: string; kind: string } }[] = [];

const person = (
  id: string,
  name: string,
  phone: string | null,
  extra: Partial<DirectoryEntry> = {},
): DirectoryEntry => ({
  id,
  name,
  orgId: "zhangbei",
  divisionId: "zhangbei-budget",
  postId: null,
  phone,
  status: "active",
  isDivisionHead: false,
  ...extra,
});
const dir = {
  a: person("s-a", "张甲", "138 0013 8001"),
  b: person("s-b", "李乙", "13800138002"),
  c: person("s-c", "王丙", "12345"),
  d: person("s-d", "赵丁", "+86 138-0013-8004"),
  e: person("s-e", "钱戊", "13800138005"),
  e2: person("s-e2", "孙己", "13800138006"),
  h: person("s-h", "周处长", "13800138009", { isDivisionHead: true }),
};
/** Someone of another county: no recipient of 张北's reminders. */
const outsider = person("s-kb", "康保人", "13800138010", { orgId: "kangbao", divisionId: "kangbao-budget" });
const E164 = (p: DirectoryEntry) => `+86${p.phone!.replace(/\D/g, "").slice(-11)}`;

const personnelStub: ServiceSchema = {
  name: "personnel",
  actions: {
    "staff.directory": {
      auth: "internal",
      handler: (ctx: { params: { ids?: string[] } }) =>
        ctx.params.ids
          ? [...Object.values(dir), outsider].filter((p) => ctx.params.ids!.includes(p.id))
          : Object.values(dir),
    },
    // No overrides: the reminders' calendar copy loads this once, at its first read.
    "calendar.overrides.list": { handler: () => [] },
    "orgs.list": {
      handler: () => [
        {
          id: "zhangbei",
          name: "张北县财政局",
          shortName: "张北县",
          kind: "county",
          parentId: "city",
          order: 1,
          divisions: [{ id: "zhangbei-budget", orgId: "zhangbei", name: "预算股", kind: "budget", order: 1 }],
        },
      ],
    },
  },
};

/** What the plans stub reports overdue; empty until the plans case sets it. */
let plansOverdue: OverdueReport[] = [];
const plansStub: ServiceSchema = {
  name: "plans",
  actions: { "overdue.list": { auth: "internal", handler: () => plansOverdue } },
};

const user = (p: DirectoryEntry, roles: Role[] = ["staff"]): AuthUser => ({
  accountId: `acc-${p.id}`,
  sessionId: `sess-${p.id}`,
  staffId: p.id,
  name: p.name,
  orgId: p.orgId,
  divisionId: p.divisionId,
  roles,
});
const admin: AuthUser = { ...user(dir.h, ["county_admin"]), staffId: null, accountId: "acc-admin" };

const listener: ServiceSchema = {
  name: "listener",
  channels: {
    "notification.requested": { group: "listener", handler: (e: any) => void notifications.push(e) },
  },
} as ServiceSchema;

const write = (p: DirectoryEntry, date: string) =>
  broker.call(
    "worklog.logs.create",
    { date, done: `${date} 的工作`, thoughts: "日清日结" },
    { meta: { user: user(p) } },
  );
const tick = (node: ServiceBroker, local: string) =>
  node.call<TickResult, object>("reminders.tick", { at: at(local).toISOString() }, SYSTEM);
const sentTo = (p: DirectoryEntry) => fake.messages.filter((m) => m.to === E164(p));
const message = (id: string) =>
  broker.call<SmsMessageView, object>("reminders.messages.get", { id }, { meta: { user: admin } });

async function remindersNode(name: string): Promise<ServiceBroker> {
  const [schema] = await schemas("reminders");
  return startNode(name, [
    {
      ...schema,
      settings: {
        ...schema.settings,
        clock: { now: () => clock.now() },
        schedule: false,
        faults: { afterAccepted: (id: string) => hooks.afterAccepted?.(id) },
      } as object,
    },
  ]);
}

beforeAll(async () => {
  fake = await startFakeTwilio();
  await smsEnvFor(fake, { SMS_RETRY_BASE_MS: "20", SMS_TIMEOUT_MS: "2000", SMS_CONCURRENCY: "1" });
  const [worklogSchema] = await schemas("worklog");
  nodes = [
    await startNode("personnel", [personnelStub, plansStub]),
    await startNode("worklog", [
      { ...worklogSchema, settings: { ...worklogSchema.settings, clock: { now: () => clock.now() } } as object },
    ]),
    await startNode("gateway", await schemas("gateway")),
    await startNode("listener", [listener]),
    await remindersNode("reminders-1"),
    await remindersNode("reminders-2"),
  ];
  broker = nodes[0];
  await broker.waitForServices(["worklog", "reminders", "gateway"], 30_000);
  await broker.call("worklog.directory.sync", {}, SYSTEM);
  await broker.call(
    "worklog.policies.set",
    { orgId: "zhangbei", personal: "daily", deadline: "18:00", graceMinutes: 60, orgLogAuthors: [dir.d.id] },
    SYSTEM,
  );
  // Everyone wrote Wednesday's log; D, H, E and E2 also Thursday's.
  for (const p of Object.values(dir)) await write(p, "2026-04-01");
  for (const p of [dir.d, dir.h, dir.e, dir.e2]) await write(p, "2026-04-02");
  await broker.call("reminders.optOut.set", { optedOut: true }, { meta: { user: user(dir.b) } });
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
  await fake?.close();
});

describe("reminders over a week with a holiday", () => {
  it("when Thursday's deadline passes during quiet hours, then nothing is sent until 08:00 Friday", async () => {
    clock.set(at("2026-04-02T21:30"));
    const r = await tick(nodes[4], "2026-04-02T21:30");
    expect(r).toMatchObject({ ran: true, allowed: false, reason: "quiet hours", created: 0 });
    expect(fake.createRequests).toHaveLength(0);
  });

  it("when two replicas tick Friday 08:00 (and a minute later) and Twilio first answers 429 then 500, then each overdue person gets exactly one message", async () => {
    clock.set(at("2026-04-03T08:00"));
    fake.script({ kind: "error", status: 429, code: 20429 }, { kind: "error", status: 500, code: 20500 });
    const results = await Promise.all([
      tick(nodes[4], "2026-04-03T08:00"),
      tick(nodes[5], "2026-04-03T08:00"),
      tick(nodes[5], "2026-04-03T08:01"),
    ]);
    expect(results.filter((r) => r.ran && r.allowed).length).toBe(2); // the same minute ran once
    expect(sentTo(dir.a)).toHaveLength(1);
    expect(sentTo(dir.a)[0].body).toContain("张甲");
    expect(sentTo(dir.a)[0].body).toContain("4月2日的工作日志");
    // A's message took three requests: 429, 500, then accepted.
    expect(fake.createRequests.filter((q) => q.to === E164(dir.a)).map((q) => q.answered)).toEqual([429, 500, 201]);
    const a = await message(`personal:${dir.a.id}:2026-04-02`);
    expect(a.status).toBe("sent");
    expect(a.attempts).toBe(3);
    // Opted out (non-essential): recorded skipped, never sent. Bad phone: recorded failed, never sent.
    expect(sentTo(dir.b)).toHaveLength(0);
    expect((await message(`personal:${dir.b.id}:2026-04-02`)).status).toBe("skipped");
    const c = await message(`personal:${dir.c.id}:2026-04-02`);
    expect(c).toMatchObject({ status: "failed", error: { code: "INVALID_PHONE" } });
    expect(fake.createRequests.some((q) => q.to.includes("12345"))).toBe(false);
    // The organisation-log reminder waits for its set time (09:00).
    expect(sentTo(dir.d)).toHaveLength(0);
    // Each reminder is mirrored in-app once.
    const ids = notifications.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(notifications.filter((n) => n.data.recipientStaffId === dir.c.id)).toHaveLength(1);
  });

  it("when the cron tick repeats, then nothing is sent again; the organisation log's reminder goes at its set time", async () => {
    const before = fake.messages.length;
    expect((await tick(nodes[4], "2026-04-03T08:00")).ran).toBe(false);
    clock.set(at("2026-04-03T10:00"));
    expect((await tick(nodes[4], "2026-04-03T10:00")).created).toBe(1);
    expect((await tick(nodes[5], "2026-04-03T10:05")).created).toBe(0);
    expect(fake.messages.length).toBe(before + 1);
    // D is the organisation log's designated author; the organisation log is weeks overdue.
    expect(sentTo(dir.d).map((m) => m.body)).toEqual([expect.stringContaining("张北县财政局")]);
    expect(sentTo(dir.a)).toHaveLength(1);
  });

  it("when the holiday runs Saturday to Monday, then nothing is sent, and Tuesday 08:00 catches Friday's misses", async () => {
    clock.set(at("2026-04-03T12:00"));
    for (const p of [dir.d, dir.h]) await write(p, "2026-04-03");
    const before = fake.messages.length;
    for (const day of ["2026-04-04", "2026-04-05", "2026-04-06"]) {
      clock.set(at(`${day}T10:00`));
      expect(await tick(nodes[4], `${day}T10:00`)).toMatchObject({ allowed: false, reason: "non-working day" });
    }
    expect(fake.messages.length).toBe(before);
    clock.set(at("2026-04-07T08:00"));
    fake.script({ kind: "error", status: 400, code: 21211 });
    const r = await tick(nodes[4], "2026-04-07T08:00");
    expect(r.allowed).toBe(true);
    // E and E2 missed Friday: one of them met the scripted 400, which is final and not retried.
    const es = await Promise.all([dir.e, dir.e2].map((p) => message(`personal:${p.id}:2026-04-03`)));
    expect(es.map((m) => m.status).sort()).toEqual(["failed", "sent"]);
    const failed = es.find((m) => m.status === "failed")!;
    expect(failed.error).toMatchObject({ code: "21211" });
    expect(fake.createRequests.filter((q) => q.to === failed.to)).toHaveLength(1);
    // A is still in the same run of misses: no second personal reminder.
    expect(sentTo(dir.a)).toHaveLength(1);
  });

  it("when A has missed three working days, then the division head is told once", async () => {
    clock.set(at("2026-04-07T12:00"));
    for (const p of [dir.d, dir.h]) await write(p, "2026-04-07");
    clock.set(at("2026-04-07T19:30"));
    await tick(nodes[4], "2026-04-07T19:30");
    await tick(nodes[5], "2026-04-07T19:35");
    const toHead = sentTo(dir.h).map((m) => m.body);
    expect(toHead).toHaveLength(3); // A, B (opt-out does not cover essential escalations) and C
    expect(toHead.some((b) => b.includes("张甲已连续3天"))).toBe(true);
  });

  it("when Twilio posts a signed delivery callback, then the message is delivered; a forged one gets 403 and changes nothing", async () => {
    const aSid = sentTo(dir.a)[0].sid;
    expect(await fake.callback(aSid, "delivered")).toBe(200);
    const a = await message(`personal:${dir.a.id}:2026-04-02`);
    expect(a.status).toBe("delivered");
    expect(a.history.map((h) => h.status)).toEqual(["pending", "attempt", "attempt", "attempt", "sent", "delivered"]);
    const ok = [dir.e, dir.e2].find((p) => sentTo(p).length)!;
    expect(await fake.callback(sentTo(ok)[0].sid, "failed", { forge: true })).toBe(403);
    expect((await message(`personal:${ok.id}:2026-04-03`)).status).toBe("sent");
  });

  it("when admins look, then the log is searchable in their organisation only and the day is summarised", async () => {
    const res = await broker.call<SmsSearchResult, object>(
      "reminders.messages.search",
      { orgId: "zhangbei", date: "2026-04-03" },
      { meta: { user: admin } },
    );
    expect(res.items.map((m) => m.id).sort()).toEqual(
      [
        `orgWeekly:zhangbei:2026-W14:${dir.d.id}`,
        `personal:${dir.a.id}:2026-04-02`,
        `personal:${dir.b.id}:2026-04-02`,
        `personal:${dir.c.id}:2026-04-02`,
      ].sort(),
    );
    await expect(broker.call("reminders.messages.search", {}, { meta: { user: user(dir.a) } })).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      broker.call("reminders.messages.search", { orgId: "kangbao" }, { meta: { user: admin } }),
    ).rejects.toMatchObject({ code: 403 });
    const [day] = await broker.call<DailySummaryRow[], object>(
      "reminders.summary.daily",
      { orgId: "zhangbei", date: "2026-04-03" },
      { meta: { user: admin } },
    );
    expect(day).toMatchObject({ sent: 2, delivered: 1, failed: 1, skipped: 1 }); // A and D's organisation log
  });

  it("when an admin sets a policy's time, then it is kept with the system quiet hours shown; a bad time or another county is refused and nothing changes", async () => {
    const get = (who: AuthUser, orgId = "zhangbei") =>
      broker.call<OrgReminderSettingsView, object>("reminders.settings.get", { orgId }, { meta: { user: who } });
    const before = await get(admin);
    expect(before.quietHours).toEqual({ start: "21:00", end: "08:00" });
    const set = (personal: object, who = admin, orgId = "zhangbei") =>
      broker.call<OrgReminderSettingsView, object>(
        "reminders.settings.set",
        { orgId, personal },
        { meta: { user: who } },
      );
    const bad = await set({ time: "25:00" }).catch((e: { code: number; data: unknown }) => e);
    expect(bad).toMatchObject({ code: 422, data: [{ field: "personal.time" }] });
    // Recipients outside the organisation (or unknown) are refused: a county admin texts only their own staff.
    const foreign = await broker
      .call(
        "reminders.settings.set",
        { orgId: "zhangbei", escalation: { adminStaffIds: [dir.a.id, outsider.id, "s-none"] } },
        { meta: { user: admin } },
      )
      .catch((e: { code: number; data: unknown }) => e);
    expect(foreign).toMatchObject({
      code: 422,
      data: [{ field: "escalation.adminStaffIds[1]" }, { field: "escalation.adminStaffIds[2]" }],
    });
    await expect(set({ time: "09:00" }, admin, "kangbao")).rejects.toMatchObject({ code: 403 });
    await expect(set({ time: "09:00" }, user(dir.a))).rejects.toMatchObject({ code: 403 });
    expect(await get(admin)).toEqual(before);
    const after = await set({ time: before.personal.time === "09:30" ? "09:45" : "09:30" });
    expect(after.personal.time).not.toBe(before.personal.time);
    expect(after.quietHours).toEqual(before.quietHours);
    expect((await get(admin)).personal).toEqual(after.personal);
    await set(before.personal); // the ticks below use the policy as it was
  });

  it("when the process dies after Twilio accepted a message but before it was recorded, then after restart it is adopted, not sent again", async () => {
    clock.set(at("2026-04-08T12:00"));
    await write(dir.h, "2026-04-08");
    clock.set(at("2026-04-08T19:30"));
    const key = `personal:${dir.d.id}:2026-04-08`;
    hooks.afterAccepted = (id) => {
      if (id === key) throw new Error("simulated crash");
    };
    await tick(nodes[4], "2026-04-08T19:30");
    hooks.afterAccepted = undefined;
    expect(sentTo(dir.d).filter((m) => m.body.includes("工作日志尚未") || m.body.includes("4月8日"))).toHaveLength(1);
    expect((await message(key)).status).toBe("pending");
    // "Restart": both replicas go away and a fresh one comes up.
    for (const n of nodes.splice(4, 2)) await n.stop();
    nodes.push(await remindersNode("reminders-3"));
    await broker.waitForServices(["reminders"], 10_000);
    clock.set(at("2026-04-08T19:35"));
    await tick(nodes[4], "2026-04-08T19:35");
    expect((await message(key)).status).toBe("pending"); // not stale yet: left alone
    clock.set(at("2026-04-08T19:45"));
    const r = await tick(nodes[4], "2026-04-08T19:45");
    expect(r.recovered).toBe(1);
    const d = await message(key);
    expect(d.status).toBe("sent");
    expect(d.providerId).toMatch(/^SM/);
    expect(fake.messages.filter((m) => m.body.includes("4月8日"))).toHaveLength(1);
  });

  it("when a division's monthly completion report is overdue, then its head is reminded once, at the policy's time", async () => {
    plansOverdue = [
      {
        kind: "completion",
        divisionId: "zhangbei-budget",
        divisionName: "预算股",
        orgId: "zhangbei",
        year: 2026,
        month: 3,
        dueDate: "2026-04-07",
        daysOverdue: 2,
      },
    ];
    const aboutMarch = () => sentTo(dir.h).filter((m) => m.body.includes("3月完成情况"));
    clock.set(at("2026-04-09T08:30"));
    await tick(nodes[4], "2026-04-09T08:30");
    expect(aboutMarch()).toHaveLength(0); // the policy's time is 09:00
    clock.set(at("2026-04-09T09:00"));
    await tick(nodes[4], "2026-04-09T09:00");
    await tick(nodes[4], "2026-04-09T09:05");
    expect(aboutMarch().map((m) => m.body)).toEqual([
      "【明白】周处长您好，预算股3月完成情况已逾期2天未报，请尽快填报。",
    ]);
    expect((await message(`completion:zhangbei-budget:2026-03:${dir.h.id}`)).status).toBe("sent");
  });
});
