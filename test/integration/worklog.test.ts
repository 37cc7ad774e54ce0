/**
 * The worklog service with the real personnel service and the gateway on separate brokers over NATS,
 * Redis and FerretDB: writing, history, tombstones, ownership, search, the feed's cursor, reads,
 * comments and mentions, useful marks, policies, calendar overrides, compliance and durable events.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { AddressInfo } from "node:net";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser, Role } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { StaffView } from "../../shared/contracts/personnel";
import type {
  CommentView,
  ComplianceReport,
  FeedResult,
  LogPolicy,
  LogVersionView,
  LogView,
  OverdueItem,
  SearchResult,
  UsefulTopItem,
} from "../../shared/contracts/worklog";
import { client } from "../support/http";
import { rejection } from "../support/cast";

/** Tuesday 10 March 2026, 10:00 in Shanghai. The service gets a wrapper: Moleculer deep-clones settings. */
const TODAY = new Date("2026-03-10T02:00:00Z");
const clock = new ManualClock(TODAY);
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
let http: ReturnType<typeof client>;
const received: { channel: string; event: any }[] = [];

const staff: Record<"a" | "b" | "c" | "d", StaffView> = {} as never;
const user = (s: StaffView, roles: Role[] = ["staff"]): AuthUser => ({
  accountId: `acc-${s.id}`,
  sessionId: `sess-${s.id}`,
  staffId: s.id,
  name: s.name,
  orgId: s.orgId,
  divisionId: s.divisionId,
  roles,
});
const as = (u: AuthUser) => ({ meta: { user: u } });
const call = <T = any>(action: string, params: object, u?: AuthUser): Promise<T> =>
  broker.call(`worklog.${action}`, params, u ? as(u) : SYSTEM) as Promise<T>;

/** Listens on the worklog channels and records what arrives. */
const listener: ServiceSchema = {
  name: "listener",
  channels: Object.fromEntries(
    ["worklog.comment.added", "notification.requested", "calendar.override.changed"].map((ch) => [
      ch,
      { group: "listener", handler: (event: any) => void received.push({ channel: ch, event }) },
    ]),
  ),
} as ServiceSchema;

async function newStaff(name: string, orgId: string, divisionId: string): Promise<StaffView> {
  return broker.call(
    "personnel.staff.create",
    {
      orgId,
      divisionId,
      name,
      gender: "female",
      birthDate: "1990-05-01",
      education: "本科",
      politicalStatus: "中共党员",
      title: "科员",
      hireDate: "2015-07-01",
    },
    SYSTEM,
  ) as Promise<StaffView>;
}

const write = (u: AuthUser, done: string, extra: object = {}) =>
  call<LogView>("logs.create", { done, thoughts: "体会：日清日结。", ...extra }, u);

beforeAll(async () => {
  const [worklogSchema] = await schemas("worklog");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("worklog", [
      { ...worklogSchema, settings: { ...worklogSchema.settings, clock: { now: () => clock.now() } } as object },
    ]),
    await startNode("gateway", await schemas("gateway")),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["worklog", "personnel"], 30_000);
  staff.a = await newStaff("预算甲", "zhangbei", "zhangbei-budget");
  staff.b = await newStaff("国库乙", "zhangbei", "zhangbei-treasury");
  staff.c = await newStaff("市局丙", "city", "city-budget");
  staff.d = await newStaff("办公丁", "zhangbei", "zhangbei-office");
  // The copies arrive over the durable personnel.staff.changed channel.
  await waitFor(
    () =>
      call("policies.set", { orgId: "zhangbei", orgLogAuthors: [staff.d.id] }).then(
        () => true,
        () => false,
      ),
    Boolean,
    20_000,
  );
  const gw = nodes[2].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  http = client(`http://127.0.0.1:${gw.server.address().port}`);
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

beforeEach(() => clock.set(TODAY));

describe("writing and reading", () => {
  test("when a member publishes a log, then it carries the author's copied name, org and division and today's date", async () => {
    const log = await write(user(staff.a), "1. 分析前两个月预算执行情况。");
    expect(log).toMatchObject({
      status: "published",
      kind: "personal",
      date: "2026-03-10",
      authorName: "预算甲",
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      version: 1,
      edited: false,
      late: false,
    });
    const read = await call<LogView>("logs.get", { id: log.id }, user(staff.c));
    expect(read.done).toBe("1. 分析前两个月预算执行情况。");
  });

  test("when the same reader opens a log twice and its author opens it, then the read count is 1", async () => {
    const log = await write(user(staff.a), "整理国库台账。");
    await call("logs.get", { id: log.id }, user(staff.b));
    await call("logs.get", { id: log.id }, user(staff.b));
    await call("logs.get", { id: log.id }, user(staff.a));
    const after = await call<LogView>("logs.get", { id: log.id }, user(staff.c));
    expect(after.readCount).toBe(2); // b once, c once
  });

  test("when content is blank, too long, dated in the future or before the window, then 422 names the field and nothing is written", async () => {
    const before = await call<FeedResult>("logs.feed", { authorId: staff.b.id, limit: 100 }, user(staff.b));
    const cases: [object, string][] = [
      [{ done: "   \n\t " }, "done"],
      [{ done: "x".repeat(20_001) }, "done"],
      [{ done: "正常内容", thoughts: "想".repeat(20_001) }, "thoughts"],
      [{ done: "正常内容", date: "2026-03-11" }, "date"],
      [{ done: "正常内容", date: "2026-03-02" }, "date"],
      [{ done: "正常内容", date: "2026-02-30" }, "date"],
      [{ done: 123 }, "done"],
      [{ done: { $gt: "" } }, "done"],
      [{ done: "正常内容", authorStaffId: staff.a.id }, "authorStaffId"],
      [{ done: "正常内容", tags: "预算" }, "tags"],
    ];
    for (const [params, field] of cases) {
      const err = await rejection(call("logs.create", params, user(staff.b)));
      expect([err.code, err.type]).toEqual([422, "VALIDATION_ERROR"]);
      // The validator reports an unknown field as `actual` of an objectStrict error.
      expect(err.data.map((f: { field?: string; actual?: string }) => f.field ?? f.actual)).toContain(field);
    }
    const after = await call<FeedResult>("logs.feed", { authorId: staff.b.id, limit: 100 }, user(staff.b));
    expect(after.items.length).toBe(before.items.length);
  });

  test("when a log is dated 7 days back, then it is accepted and marked late", async () => {
    const log = await write(user(staff.b), "补写上周二的日志。", { date: "2026-03-03" });
    expect(log).toMatchObject({ date: "2026-03-03", late: true });
  });

  test("when an id is unknown or an operator is sent as an id, then 404 LOG_NOT_FOUND or 422", async () => {
    const missing = await rejection(call("logs.get", { id: "0123456789abcdef01234567" }, user(staff.a)));
    expect([missing.code, missing.type]).toEqual([404, "LOG_NOT_FOUND"]);
    const injected = await rejection(call("logs.get", { id: { $ne: null } }, user(staff.a)));
    expect(injected.code).toBe(422);
  });

  test("when a draft is saved, then only its author sees it, and once published everyone does", async () => {
    const draft = await write(user(staff.a), "草稿：预算草案思路。", { publish: false });
    expect(draft.status).toBe("draft");
    expect((await rejection(call("logs.get", { id: draft.id }, user(staff.b)))).type).toBe("LOG_NOT_FOUND");
    const feed = await call<FeedResult>("logs.feed", { authorId: staff.a.id, limit: 100 }, user(staff.b));
    expect(feed.items.map((l) => l.id)).not.toContain(draft.id);
    expect((await call<LogView[]>("logs.drafts", {}, user(staff.a))).map((l) => l.id)).toContain(draft.id);
    const published = await call<LogView>("logs.publish", { id: draft.id }, user(staff.a));
    expect(published.status).toBe("published");
    expect((await call<LogView>("logs.get", { id: draft.id }, user(staff.b))).done).toBe("草稿：预算草案思路。");
  });
});

describe("edit history, tombstones and ownership", () => {
  test("when the author edits a published log twice, then it is marked edited and every earlier version is readable by all", async () => {
    const log = await write(user(staff.a), "第一版内容。");
    await call("logs.update", { id: log.id, done: "第二版内容。" }, user(staff.a));
    const v3 = await call<LogView>("logs.update", { id: log.id, done: "第三版内容。", tags: ["预算"] }, user(staff.a));
    expect(v3).toMatchObject({ version: 3, edited: true, done: "第三版内容。", tags: ["预算"] });
    const h = await call<{ current: LogView; versions: LogVersionView[] }>(
      "logs.history",
      { id: log.id },
      user(staff.c),
    );
    expect(h.versions.map((v) => [v.version, v.done, v.replacedBy])).toEqual([
      [1, "第一版内容。", "edit"],
      [2, "第二版内容。", "edit"],
    ]);
    expect(h.current.done).toBe("第三版内容。");
  });

  test("when someone else edits or withdraws a log, then 403 NOT_OWNER and the log reads back unchanged", async () => {
    const log = await write(user(staff.a), "甲的原文。");
    const edit = await rejection(call("logs.update", { id: log.id, done: "乙改的。" }, user(staff.b)));
    const withdraw = await rejection(call("logs.withdraw", { id: log.id }, user(staff.b)));
    const admin = await rejection(
      call("logs.update", { id: log.id, done: "管理员改的。" }, user(staff.c, ["sys_admin"])),
    );
    expect([edit, withdraw, admin].map((e) => [e.code, e.type])).toEqual([
      [403, "NOT_OWNER"],
      [403, "NOT_OWNER"],
      [403, "NOT_OWNER"],
    ]);
    const back = await call<{ current: LogView; versions: LogVersionView[] }>(
      "logs.history",
      { id: log.id },
      user(staff.a),
    );
    expect(back.current).toMatchObject({ done: "甲的原文。", version: 1, edited: false, status: "published" });
    expect(back.versions).toEqual([]);
  });

  test("when the author withdraws a log, then a tombstone stays in the feed and the withdrawn text stays in the history", async () => {
    const log = await write(user(staff.a), "要撤回的内容：预算调整。");
    const w = await call<LogView>("logs.withdraw", { id: log.id, reason: "内容有误" }, user(staff.a));
    expect(w).toMatchObject({ status: "withdrawn", done: "", withdrawReason: "内容有误" });
    const feed = await call<FeedResult>("logs.feed", { authorId: staff.a.id, limit: 100 }, user(staff.b));
    expect(feed.items.find((l) => l.id === log.id)).toMatchObject({ status: "withdrawn", done: "" });
    const h = await call<{ versions: LogVersionView[] }>("logs.history", { id: log.id }, user(staff.b));
    expect(h.versions).toEqual([expect.objectContaining({ done: "要撤回的内容：预算调整。", replacedBy: "withdraw" })]);
    const again = await rejection(call("logs.update", { id: log.id, done: "复活" }, user(staff.a)));
    expect([again.code, again.type]).toEqual([409, "LOG_WITHDRAWN"]);
  });
});

describe("search and the feed", () => {
  let budgetLog: LogView;
  let otherLog: LogView;
  beforeAll(async () => {
    clock.set(TODAY);
    budgetLog = await write(user(staff.c), "1. 完成全市预算执行情况月报。\n2. 召开专题会议。", { tags: ["月报"] });
    otherLog = await write(user(staff.c), "1. 办理集中支付业务，核对专户余额。");
  });

  test("when searching 预算, then the log containing 预算执行 is found and the one without 预算 is not", async () => {
    const r = await call<SearchResult>("logs.search", { q: "预算", authorId: staff.c.id }, user(staff.a));
    const ids = r.items.map((l) => l.id);
    expect(ids).toContain(budgetLog.id);
    expect(ids).not.toContain(otherLog.id);
    expect(r.items.every((l) => (l.done + l.thoughts).includes("预算"))).toBe(true);
  });

  test("when searching 执行情况, which jieba cuts differently alone than inside 预算执行情况, then the log is still found", async () => {
    const r = await call<SearchResult>("logs.search", { q: "执行情况" }, user(staff.a));
    expect(r.items.map((l) => l.id)).toContain(budgetLog.id);
    const feed = await call<FeedResult>("logs.feed", { q: "执行情况", authorId: staff.c.id }, user(staff.a));
    expect(feed.items.map((l) => l.id)).toEqual([budgetLog.id]);
  });

  test("when a log is withdrawn, then search no longer finds it", async () => {
    const log = await write(user(staff.c), "独特词：雪场配套资金。");
    expect((await call<SearchResult>("logs.search", { q: "雪场配套" }, user(staff.a))).total).toBe(1);
    await call("logs.withdraw", { id: log.id }, user(staff.c));
    expect((await call<SearchResult>("logs.search", { q: "雪场配套" }, user(staff.a))).total).toBe(0);
  });

  test("when a new log arrives between page 1 and page 2, then page 2 has neither duplicates nor gaps", async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await write(user(staff.d), `分页测试第${i}条。`);
    }
    const all = await call<FeedResult>("logs.feed", { orgId: "zhangbei", limit: 100 }, user(staff.a));
    const p1 = await call<FeedResult>("logs.feed", { orgId: "zhangbei", limit: 3 }, user(staff.a));
    clock.advance(60_000);
    const fresh = await write(user(staff.d), "分页之间插入的新日志。");
    const p2 = await call<FeedResult>(
      "logs.feed",
      { orgId: "zhangbei", limit: 3, cursor: p1.nextCursor! },
      user(staff.a),
    );
    const seen = [...p1.items, ...p2.items].map((l) => l.id);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual(all.items.slice(0, 6).map((l) => l.id));
    expect(seen).not.toContain(fresh.id);
    const bad = await rejection(call("logs.feed", { cursor: "not-a-cursor" }, user(staff.a)));
    expect([bad.code, bad.data[0].field]).toEqual([422, "cursor"]);
  });

  test("when counts by month are asked for a person, then they count their published logs", async () => {
    const counts = await call<{ year: number; month: number; count: number }[]>(
      "logs.counts",
      { authorId: staff.c.id },
      user(staff.a),
    );
    const feed = await call<FeedResult>("logs.feed", { authorId: staff.c.id, limit: 100 }, user(staff.a));
    const published = feed.items.filter((l) => l.status === "published");
    expect(counts).toEqual([{ year: 2026, month: 3, count: published.length }]);
  });
});

describe("comments, mentions and useful marks", () => {
  test("when a comment mentions people by id and by unique name, then each gets a notification.requested event", async () => {
    const log = await write(user(staff.a), "预算评审要点。");
    const c = await call<CommentView>(
      "comments.add",
      { id: log.id, body: "很有用，@国库乙 也看看", mentionIds: [staff.c.id] },
      user(staff.d),
    );
    expect(c.mentions.map((m) => m.staffId).sort()).toEqual([staff.b.id, staff.c.id].sort());
    const notes = await waitFor(
      () => received.filter((r) => r.channel === "notification.requested" && r.event.data.link.endsWith(log.id)),
      (xs) => xs.length >= 2,
    );
    expect(notes.map((n) => n.event.data.recipientStaffId).sort()).toEqual([staff.b.id, staff.c.id].sort());
    expect(notes[0].event.data).toMatchObject({ kind: "worklog.mention", title: expect.stringContaining("办公丁") });
    expect((await call<CommentView[]>("comments.list", { id: log.id }, user(staff.b))).map((x) => x.id)).toEqual([
      c.id,
    ]);
    expect((await call<LogView>("logs.get", { id: log.id }, user(staff.a))).commentCount).toBe(1);
    const bad = await rejection(
      call("comments.add", { id: log.id, body: "hi", mentionIds: ["s-99999"] }, user(staff.d)),
    );
    expect([bad.code, bad.data[0].field]).toEqual([422, "mentionIds"]);
  });

  test("when a person marks a log useful twice and then revokes, then the count goes 1, 1, 0", async () => {
    const log = await write(user(staff.a), "资金拨付流程梳理。");
    const set = (useful: boolean, u = staff.b) =>
      call<{ usefulCount: number }>("useful.set", { id: log.id, useful }, user(u));
    expect((await set(true)).usefulCount).toBe(1);
    expect((await set(true)).usefulCount).toBe(1);
    expect((await set(false)).usefulCount).toBe(0);
    const own = await rejection(set(true, staff.a));
    expect([own.code, own.type]).toEqual([403, "OWN_LOG"]);
  });

  test("when 20 readers open a log and mark it useful at the same moment while its author withdraws it, then no read or mark is lost and the withdrawn text stays gone", async () => {
    const log = await write(user(staff.a), "并发计数：撤回前的内容。");
    const readers = Array.from({ length: 20 }, (_, i) => ({
      ...user(staff.b),
      accountId: `acc-r${i}`,
      staffId: `r-${i}`,
    }));
    const withdrawn = call<LogView>("logs.withdraw", { id: log.id, reason: "并发" }, user(staff.a));
    const results = await Promise.allSettled(
      readers.flatMap((r) => [
        call("logs.get", { id: log.id }, r),
        call("useful.set", { id: log.id, useful: true }, r),
      ]),
    );
    await withdrawn;
    const after = await call<LogView>("logs.get", { id: log.id }, user(staff.c));
    expect(after).toMatchObject({ status: "withdrawn", done: "" });
    // Every read that found it published counts, and every mark accepted (after the withdraw: refused).
    const reads = results.filter(
      (r, i) => i % 2 === 0 && r.status === "fulfilled" && (r.value as LogView).status === "published",
    ).length;
    const marks = results.filter((r, i) => i % 2 === 1 && r.status === "fulfilled").length;
    expect(reads + marks).toBeGreaterThan(0);
    expect([after.readCount, after.usefulCount]).toEqual([reads, marks]);
  });

  test("when logs get marks this week, then the most useful ones lead, per organisation and overall", async () => {
    const top = await write(user(staff.a), "最有用的日志。");
    const second = await write(user(staff.c), "次有用的日志。");
    for (const u of [staff.b, staff.c, staff.d]) await call("useful.set", { id: top.id, useful: true }, user(u));
    await call("useful.set", { id: second.id, useful: true }, user(staff.a));
    const overall = await call<UsefulTopItem[]>("useful.top", {}, user(staff.b));
    expect(overall.slice(0, 2).map((t) => [t.log.id, t.usefulCount])).toEqual([
      [top.id, 3],
      [second.id, 1],
    ]);
    const city = await call<UsefulTopItem[]>("useful.top", { orgId: "city" }, user(staff.b));
    expect(city.map((t) => t.log.id)).toEqual([second.id]);
  });
});

describe("organisation logs and policies", () => {
  test("when a designated author publishes an organisation log, then it is accepted; another member gets 403", async () => {
    const ok = await write(user(staff.d), "【单位日志】本周重点工作。", { kind: "org" });
    expect(ok).toMatchObject({ kind: "org", orgId: "zhangbei" });
    const no = await rejection(write(user(staff.a), "冒充单位日志。", { kind: "org" }));
    expect([no.code, no.type]).toEqual([403, "NOT_ORG_LOG_AUTHOR"]);
  });

  test("when a county admin sets another county's policy, then 403; their own is saved with a valid deadline only", async () => {
    const admin = user(staff.d, ["county_admin"]);
    const other = await rejection(call("policies.set", { orgId: "kangbao", personal: "daily" }, admin));
    expect(other.code).toBe(403);
    const bad = await rejection(call("policies.set", { orgId: "zhangbei", deadline: "25:00" }, admin));
    expect([bad.code, bad.data[0].field]).toEqual([422, "deadline"]);
    const staffOnly = await rejection(call("policies.set", { orgId: "zhangbei", graceMinutes: 10 }, user(staff.a)));
    expect(staffOnly.code).toBe(403);
    const saved = await call<LogPolicy>(
      "policies.set",
      { orgId: "zhangbei", deadline: "17:30", graceMinutes: 30 },
      admin,
    );
    expect(saved).toMatchObject({
      orgId: "zhangbei",
      deadline: "17:30",
      graceMinutes: 30,
      orgLogAuthors: [staff.d.id],
    });
    expect(await call<LogPolicy>("policies.get", { orgId: "zhangbei" }, user(staff.b))).toMatchObject({
      deadline: "17:30",
    });
    await call("policies.set", { orgId: "zhangbei", deadline: "18:00", graceMinutes: 60 }, admin);
  });
});

describe("calendar overrides", () => {
  test("when the city HR admin makes a Saturday a working day through personnel, then worklog hears of it and counts it", async () => {
    const hr = { ...user(staff.c, ["hr_admin"]), orgId: "city" };
    const personnel = <T = any>(action: string, params: object, u: AuthUser): Promise<T> =>
      broker.call(`personnel.calendar.${action}`, params, as(u)) as Promise<T>;
    const r = await personnel("overrides.set", { date: "2026-03-14", working: true, note: "临时调整" }, hr);
    expect(r.day).toMatchObject({ date: "2026-03-14", working: true, overridden: true });
    const days = await personnel<{ date: string; working: boolean }[]>(
      "days",
      { from: "2026-03-13", to: "2026-03-15" },
      user(staff.a),
    );
    expect(days.map((d) => d.working)).toEqual([true, true, false]);
    await waitFor(
      () => received.filter((x) => x.channel === "calendar.override.changed" && x.event.data.date === "2026-03-14"),
      (xs) => xs.length === 1,
    );
    const county = await rejection(
      personnel("overrides.set", { date: "2026-03-21", working: true }, user(staff.d, ["hr_admin"])),
    );
    expect(county.code).toBe(403);
    await personnel("overrides.set", { date: "2026-03-14", working: null }, hr);
    expect(await personnel("overrides.list", {}, user(staff.a))).toEqual([]);
  });
});

describe("compliance across the 2026 Spring Festival", () => {
  let x: StaffView;
  let y: StaffView;
  beforeAll(async () => {
    // A fresh county with two people, a daily personal rule and a weekly organisation log.
    x = await newStaff("勤勉戊", "yuxian", "yuxian-budget");
    y = await newStaff("松懈己", "yuxian", "yuxian-budget");
    await waitFor(
      () =>
        call("policies.set", { orgId: "yuxian", personal: "daily", orgLogWeekly: true, orgLogAuthors: [x.id] }).then(
          () => true,
          () => false,
        ),
      Boolean,
      20_000,
    );
    const at = (iso: string) => clock.set(new Date(iso));
    at("2026-02-14T09:00:00Z"); // Saturday 14 Feb (make-up working day), 17:00 local
    for (const d of ["2026-02-09", "2026-02-10", "2026-02-11", "2026-02-12", "2026-02-13", "2026-02-14"])
      await write(user(x), `节前工作 ${d}`, { date: d });
    await write(user(x), "单位周志：节前安排。", { kind: "org", date: "2026-02-13" });
    await write(user(y), "节前唯一一篇。", { date: "2026-02-12" });
    at("2026-02-28T09:00:00Z");
    for (const d of ["2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28"])
      await write(user(x), `节后工作 ${d}`, { date: d });
    clock.set(new Date("2026-03-02T04:00:00Z"));
  });

  test("when compliance is asked for the weeks around the holiday, then only the 11 working days count", async () => {
    clock.set(new Date("2026-03-02T04:00:00Z"));
    const r = await call<ComplianceReport>(
      "compliance.report",
      { from: "2026-02-09", to: "2026-03-01", orgId: "yuxian" },
      user(staff.a),
    );
    const byId = new Map(r.people.map((p) => [p.staffId, p]));
    expect(byId.get(x.id)).toMatchObject({ rule: "daily", due: 11, done: 11, rate: 1 });
    expect(byId.get(y.id)).toMatchObject({ due: 11, done: 1, rate: 0.0909 });
    expect(r.orgs).toEqual([expect.objectContaining({ id: "yuxian", due: 22, done: 12 })]);
  });

  test("when the ranking is asked through the REST route, then the 20 counties are ranked and a missed org-log week shows", async () => {
    clock.set(new Date("2026-03-02T04:00:00Z"));
    const { newToken, putLiveSession } = await import("../../shared/sessions");
    const u = user(staff.a);
    const t = newToken(u.sessionId);
    await putLiveSession(u, t.hash);
    const r = await http.get<ComplianceReport>("/api/worklog/compliance?from=2026-02-09&to=2026-03-01", t.token);
    expect(r.status).toBe(200);
    const yx = r.body.ranking.orgLog.find((c) => c.orgId === "yuxian")!;
    expect(yx.orgLog).toMatchObject({ due: 2, done: 1, rate: 0.5 });
    expect(r.body.ranking.orgLog.map((c) => c.orgId)).not.toContain("city");
    const bad = await http.post("/api/worklog/logs", { done: "  " }, t.token);
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].field).toBe("done");
    expect((await http.get("/api/worklog/logs")).status).toBe(401);
  });

  test("when asked who is overdue, then the lax person is overdue since the first working day they missed", async () => {
    clock.set(new Date("2026-03-02T04:00:00Z"));
    const list = await call<OverdueItem[]>("compliance.overdue", { orgId: "yuxian" }, user(staff.a));
    const lax = list.find((o) => o.staffId === y.id)!;
    expect(lax).toMatchObject({ kind: "personal", missingSince: "2026-02-13", missed: 7 });
    expect(list.find((o) => o.staffId === x.id)).toBeUndefined();
    expect(list.find((o) => o.kind === "org")).toMatchObject({ orgId: "yuxian", missingSince: "2026-02-23" });
  });
});

describe("durable events", () => {
  test("when a consumer is down while a log is published, then it receives the event once it is back", async () => {
    const got: any[] = [];
    const consumer: ServiceSchema = {
      name: "late-consumer",
      channels: { "worklog.log.published": { group: "late-consumer", handler: (e: any) => void got.push(e) } },
    } as ServiceSchema;
    const first = await startNode("late", [consumer]);
    await first.stop();
    const log = await write(user(staff.b), "消费者离线时发布的日志。");
    const back = await startNode("late", [consumer]);
    try {
      const events = await waitFor(
        () => got.filter((e) => e.data.logId === log.id),
        (xs) => xs.length >= 1,
      );
      expect(events[0]).toMatchObject({
        id: `${log.id}:v1:published`,
        channel: "worklog.log.published",
        data: { authorStaffId: staff.b.id, orgId: "zhangbei", date: "2026-03-10", version: 1 },
      });
    } finally {
      await back.stop();
    }
  });

  test("when an older personnel.staff.changed arrives after a newer one, then the copy keeps the newer name", async () => {
    const { publish } = await import("../../shared/events");
    const base = { staffId: staff.b.id, orgId: "zhangbei", divisionId: "zhangbei-treasury", postId: null, phone: null };
    await publish(broker, "personnel.staff.changed", { ...base, name: "国库新名", status: "active", version: 50 });
    await publish(broker, "personnel.staff.changed", { ...base, name: "国库旧名", status: "active", version: 49 });
    await waitFor(
      () => write(user(staff.b), "改名后的日志。").then((l) => l.authorName),
      (n) => n === "国库新名",
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await write(user(staff.b), "再写一篇。")).authorName).toBe("国库新名");
  });
});
