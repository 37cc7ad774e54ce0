/**
 * The info service with the real personnel and inbox services on separate brokers over NATS and
 * FerretDB: information reports through the county and city desks, returns and revisions, adoption
 * levels and points from the settings, notifications reaching the author's inbox, indicator facts
 * with versions, idempotent re-sent commands, permissions and org scope, bad input with nothing
 * written, and publicity verification.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { IndicatorFact } from "../../shared/contracts/assessment";
import type { InboxList } from "../../shared/contracts/inbox";
import type { FactsResult, InfoReportView, PointSettings, PublicityView } from "../../shared/contracts/info";
import type { ListResult } from "../../shared/contracts/notices";
import type { StaffView } from "../../shared/contracts/personnel";
import type { DomainEvent } from "../../shared/events";
import { rejection } from "../support/cast";
import { NAMES, createStaff, userOf, withClock, type Who } from "../support/office-staff";

/** Tuesday 10 March 2026, 10:00 in Shanghai. */
const TODAY = new Date("2026-03-10T02:00:00Z");
const clock = new ManualClock(TODAY);
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
const received: { channel: string; event: DomainEvent<any> }[] = [];

const staff = {} as Record<Who, StaffView>;
const user = (w: Who): AuthUser => userOf(staff[w], w);
const call = <T = any>(action: string, params: object, w?: Who): Promise<T> =>
  broker.call(action, params, w ? { meta: { user: user(w) } } : SYSTEM) as Promise<T>;

const CHANNELS = ["notification.requested", "indicator.fact.recorded", "audit.entry"];
const listener: ServiceSchema = {
  name: "listener",
  channels: Object.fromEntries(
    CHANNELS.map((ch) => [
      ch,
      { group: "listener", handler: (event: DomainEvent) => void received.push({ channel: ch, event }) },
    ]),
  ),
} as ServiceSchema;

/** Fact events for one item, one per distinct event id (redeliveries collapse), in version order. */
const factsOf = (factId: string): IndicatorFact[] => {
  const byId = new Map<string, IndicatorFact>();
  for (const r of received)
    if (r.channel === "indicator.fact.recorded" && (r.event.data as IndicatorFact).factId === factId)
      byId.set(r.event.id, r.event.data as IndicatorFact);
  return [...byId.values()].sort((a, b) => a.version - b.version);
};
const factEventCount = (factId: string): number =>
  received.filter((r) => r.channel === "indicator.fact.recorded" && (r.event.data as IndicatorFact).factId === factId)
    .length;
const notesFor = (who: Who, link: string) =>
  received.filter(
    (r) =>
      r.channel === "notification.requested" &&
      (r.event.data as { recipientStaffId: string }).recipientStaffId === staff[who].id &&
      (r.event.data as { link: string }).link === link,
  );

const newReport = (w: Who, extra: object = {}) =>
  call<InfoReportView>(
    "info.info.create",
    { title: `${w}的信息`, body: "正文内容", category: "工作动态", ...extra },
    w,
  );

beforeAll(async () => {
  const [infoSchema] = await schemas("info");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("inbox", await schemas("inbox")),
    await startNode("info", [withClock(infoSchema, clock)]),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "inbox", "info"], 30_000);
  await createStaff(broker, staff);
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

beforeEach(() => clock.set(TODAY));

describe("information reports: the county flow", () => {
  let report: InfoReportView;
  const link = () => `/info/reports/${report.id}`;

  test("when county staff submit a report, then it waits on their county office's desk", async () => {
    report = await newReport("zbStaff");
    expect(report).toMatchObject({
      status: "submitted",
      stage: "county",
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      authorName: NAMES.zbStaff,
      year: 2026,
      version: 2,
      allowed: [],
    });
    expect(report.trail.map((t) => [t.action, t.toStatus, t.stage])).toEqual([
      ["create", "draft", null],
      ["submit", "submitted", "county"],
    ]);
    const desk = await call<ListResult<InfoReportView>>("info.info.list", { box: "review" }, "zbOffice");
    expect(desk.items.map((r) => r.id)).toEqual([report.id]);
    expect(desk.items[0].allowed).toEqual(["return", "forward"]);
  });

  test("when another county's office, the city office or city staff look for it, then it is not found", async () => {
    for (const w of ["kbOffice", "cityOffice", "cityStaff"] as Who[]) {
      expect((await rejection(call("info.info.get", { id: report.id }, w))).code).toBe(404);
      const all = await call<ListResult<InfoReportView>>("info.info.list", {}, w);
      expect(all.items.map((r) => r.id)).not.toContain(report.id);
    }
  });

  test("when another county's office tries to return it, then 404 and nothing changes", async () => {
    const err = await rejection(call("info.info.return", { id: report.id, comment: "越权" }, "kbOffice"));
    expect(err.code).toBe(404);
    expect((await call<InfoReportView>("info.info.get", { id: report.id }, "zbStaff")).version).toBe(2);
  });

  test("when the author or the county office try a step that is not theirs, then 403", async () => {
    expect((await rejection(call("info.info.return", { id: report.id, comment: "自己退" }, "zbStaff"))).code).toBe(403);
    const err = await rejection(
      call("info.info.adopt", { id: report.id, level: "city", usedIn: "某刊物" }, "zbOffice"),
    );
    expect([err.code, err.type]).toEqual([403, "NOT_REVIEWER"]);
  });

  test("when the county office returns it with comments, then the author is told and may revise", async () => {
    const returned = await call<InfoReportView>(
      "info.info.return",
      { id: report.id, comment: "请补充具体数据" },
      "zbOffice",
    );
    expect(returned).toMatchObject({ status: "returned", stage: null, lastComment: "请补充具体数据", version: 3 });
    const note = await waitFor(
      () => notesFor("zbStaff", link()),
      (n) => n.length > 0,
    );
    expect(note[0].event.data).toMatchObject({ kind: "notices.info.return", body: "退回意见：请补充具体数据" });
    const inbox = await waitFor(
      () => call<InboxList>("inbox.mine", {}, "zbStaff"),
      (l) => l.items.some((i) => i.link === link()),
    );
    expect(inbox.items.find((i) => i.link === link())!.title).toBe("你的信息《zbStaff的信息》被退回");
    const mine = await call<InfoReportView>("info.info.get", { id: report.id }, "zbStaff");
    expect(mine.allowed).toEqual(["edit", "submit"]);
  });

  test("when the author revises and resubmits, then it is back on the county desk", async () => {
    await call("info.info.update", { id: report.id, body: "补充：完成率 96%" }, "zbStaff");
    report = await call<InfoReportView>("info.info.submit", { id: report.id }, "zbStaff");
    expect(report).toMatchObject({ status: "submitted", stage: "county", body: "补充：完成率 96%", version: 5 });
  });

  test("when the county office forwards it, then the city office has it on its desk and the author is told", async () => {
    report = await call<InfoReportView>("info.info.forward", { id: report.id, comment: "推荐" }, "zbOffice");
    expect(report).toMatchObject({ status: "submitted", stage: "city" });
    expect(report.forwardedAt).toBe(TODAY.toISOString());
    const desk = await call<ListResult<InfoReportView>>("info.info.list", { box: "review" }, "cityOffice");
    expect(desk.items.map((r) => r.id)).toContain(report.id);
    expect((await call<ListResult<InfoReportView>>("info.info.list", { box: "review" }, "zbOffice")).items).toEqual([]);
    await waitFor(
      () => notesFor("zbStaff", link()),
      (n) => n.some((e) => e.event.data.kind === "notices.info.forward"),
    );
  });

  test("when the city office adopts it at province level, then 3 points, one fact v1, the author told, and it is public", async () => {
    report = await call<InfoReportView>(
      "info.info.adopt",
      { id: report.id, level: "province", usedIn: "《河北财政信息》2026年第5期" },
      "cityOffice",
    );
    expect(report.status).toBe("adopted");
    expect(report.adoption).toMatchObject({
      level: "province",
      usedIn: "《河北财政信息》2026年第5期",
      points: 3,
      adoptedByName: NAMES.cityOffice,
    });
    const [fact] = await waitFor(
      () => factsOf(`info:${report.id}`),
      (f) => f.length === 1,
    );
    expect(fact).toEqual({
      factId: `info:${report.id}`,
      version: 1,
      kind: "information",
      staffId: staff.zbStaff.id,
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      date: "2026-03-10",
      value: 3,
      label: "zbStaff的信息",
      level: "province",
    });
    const note = await waitFor(
      () => notesFor("zbStaff", link()).filter((e) => e.event.data.kind === "notices.info.adopt"),
      (n) => n.length > 0,
    );
    expect(note[0].event.data).toMatchObject({
      title: "你的信息《zbStaff的信息》被省级采用",
      body: "采用于《河北财政信息》2026年第5期，计 3 分",
    });
    for (const w of ["kbOffice", "cityStaff"] as Who[])
      expect((await call<InfoReportView>("info.info.get", { id: report.id }, w)).status).toBe("adopted");
    const audits = await waitFor(
      () =>
        received.filter(
          (r) => r.channel === "audit.entry" && (r.event.data as { target: string }).target === `info:${report.id}`,
        ),
      (a) => a.length >= 3,
    );
    expect(audits.map((a) => (a.event.data as { action: string }).action).sort()).toEqual([
      "notices.info.adopt",
      "notices.info.forward",
      "notices.info.return",
    ]);
  });

  test("when another county's office tries to revoke the public report, then 403", async () => {
    expect((await rejection(call("info.info.revoke", { id: report.id, comment: "x" }, "kbOffice"))).code).toBe(403);
  });

  test("when the level is raised, repeated and then revoked, then one fact version per change, the last with value 0", async () => {
    clock.set(new Date("2026-03-12T02:00:00Z"));
    await call(
      "info.info.adopt",
      { id: report.id, level: "national", usedIn: "财政部《财政信息》第9期" },
      "cityOffice",
    );
    const again = await call<InfoReportView>(
      "info.info.adopt",
      { id: report.id, level: "national", usedIn: "财政部《财政信息》第9期" },
      "cityOffice",
    );
    expect(again.version).toBe(8);
    report = await call<InfoReportView>("info.info.revoke", { id: report.id, comment: "内容重复" }, "cityOffice");
    expect(report).toMatchObject({ status: "submitted", stage: "city", adoption: null, version: 9 });
    const facts = await waitFor(
      () => factsOf(`info:${report.id}`),
      (f) => f.length === 3,
    );
    expect(facts.map((f) => [f.version, f.value, f.level, f.date])).toEqual([
      [1, 3, "province", "2026-03-10"],
      [2, 5, "national", "2026-03-10"],
      [3, 0, "national", "2026-03-10"],
    ]);
    expect(report.trail.map((t) => t.action)).toEqual([
      "create",
      "submit",
      "return",
      "edit",
      "submit",
      "forward",
      "adopt",
      "adopt",
      "revoke",
    ]);
    const current = await call<FactsResult>("info.facts.list", { year: 2026, kind: "information" });
    expect(current.facts.find((f) => f.factId === `info:${report.id}`)).toMatchObject({ version: 3, value: 0 });
  });
});

describe("information reports: the city flow and points", () => {
  test("when city staff submit, then it goes straight to the city office, which returns and then adopts the revision", async () => {
    let r = await newReport("cityStaff");
    expect([r.status, r.stage]).toEqual(["submitted", "city"]);
    r = await call("info.info.return", { id: r.id, comment: "标题请精炼" }, "cityOffice");
    expect(r.status).toBe("returned");
    await call("info.info.update", { id: r.id, title: "预算绩效管理扩面见效" }, "cityStaff");
    r = await call("info.info.submit", { id: r.id }, "cityStaff");
    expect([r.status, r.stage]).toEqual(["submitted", "city"]);
    r = await call("info.info.adopt", { id: r.id, level: "city", usedIn: "《张家口财政信息》第3期" }, "cityOffice");
    expect(r.adoption).toMatchObject({ level: "city", points: 1 });
    const [fact] = await waitFor(
      () => factsOf(`info:${r.id}`),
      (f) => f.length === 1,
    );
    expect(fact).toMatchObject({ value: 1, label: "预算绩效管理扩面见效", orgId: "city", version: 1 });
    expect(notesFor("cityStaff", `/info/reports/${r.id}`).length).toBeGreaterThanOrEqual(1);
  });

  test("when the city office adopts its own report, then 403 SELF_REVIEW, no points; a second person of the office may", async () => {
    const r = await newReport("cityOffice");
    expect([r.status, r.stage]).toEqual(["submitted", "city"]);
    expect(r.allowed).not.toContain("adopt");
    const err = await rejection(
      call("info.info.adopt", { id: r.id, level: "city", usedIn: "《张家口财政信息》第4期" }, "cityOffice"),
    );
    expect([err.code, err.type]).toEqual([403, "SELF_REVIEW"]);
    expect((await call<InfoReportView>("info.info.get", { id: r.id }, "cityOffice")).status).toBe("submitted");
    expect(await factsOf(`info:${r.id}`)).toEqual([]);
    const adopted = await call<InfoReportView>(
      "info.info.adopt",
      { id: r.id, level: "city", usedIn: "《张家口财政信息》第4期" },
      "admin",
    );
    expect(adopted.adoption).toMatchObject({ level: "city", points: 1 });
    // Withdrawn again, so the point tallies of the next tests are theirs alone.
    await call("info.info.revoke", { id: r.id, comment: "测试撤销" }, "admin");
  });

  test("when city HR changes the points, then later adoptions use them and earlier ones keep theirs", async () => {
    const before = await newReport("cityStaff");
    const settings = await call<PointSettings>("info.settings.update", { information: { city: 2 } }, "hr");
    expect(settings.information).toEqual({ city: 2, province: 3, national: 5 });
    expect(settings.updatedBy).toBe(NAMES.hr);
    const r = await call<InfoReportView>(
      "info.info.adopt",
      { id: before.id, level: "city", usedIn: "市政府办公室《政务信息》" },
      "cityOffice",
    );
    expect(r.adoption!.points).toBe(2);
    const [fact] = await waitFor(
      () => factsOf(`info:${r.id}`),
      (f) => f.length === 1,
    );
    expect(fact.value).toBe(2);
    const facts = await call<FactsResult>("info.facts.list", { year: 2026 }, "hr");
    const values = facts.facts.filter((f) => f.kind === "information" && f.value > 0).map((f) => f.value);
    expect(values.sort()).toEqual([1, 2]);
    await call("info.settings.update", { information: { city: 1 } }, "hr");
  });

  test("when a county HR admin, staff or a bad value try to change the points, then 403 / 422 and nothing changes", async () => {
    expect((await rejection(call("info.settings.update", { information: { city: 9 } }, "zbHr"))).code).toBe(403);
    expect((await rejection(call("info.settings.update", { information: { city: 9 } }, "cityStaff"))).code).toBe(403);
    const bad = await rejection(call("info.settings.update", { publicity: { county: -1 } }, "hr"));
    expect(bad.code).toBe(422);
    expect(bad.data[0].field).toBe("publicity.county");
    const s = await call<PointSettings>("info.settings.get", {}, "cityStaff");
    expect([s.information.city, s.publicity.county]).toEqual([1, 0.5]);
  });
});

describe("idempotency, drafts and bad input", () => {
  test("when a create is re-sent with the same command id, then one report exists", async () => {
    const a = await newReport("kbStaff", { commandId: "cmd-create-1" });
    const b = await newReport("kbStaff", { commandId: "cmd-create-1" });
    expect(b.id).toBe(a.id);
    const mine = await call<ListResult<InfoReportView>>("info.info.list", { box: "mine" }, "kbStaff");
    expect(mine.items.map((r) => r.id)).toEqual([a.id]);
  });

  test("when an adoption is re-sent with its command id, then one trail step, one fact version, one notification", async () => {
    const r = await newReport("cityStaff");
    const params = { id: r.id, level: "province", usedIn: "长城网", commandId: "cmd-adopt-1" };
    const first = await call<InfoReportView>("info.info.adopt", params, "cityOffice");
    const second = await call<InfoReportView>("info.info.adopt", { ...params, level: "national" }, "cityOffice");
    expect(second.version).toBe(first.version);
    expect(second.adoption!.level).toBe("province");
    expect(second.trail.filter((t) => t.action === "adopt")).toHaveLength(1);
    // The replay re-sends the step's events with their first ids: delivered twice, counted once.
    await waitFor(
      () => factEventCount(`info:${r.id}`),
      (n) => n >= 2,
    );
    expect(factsOf(`info:${r.id}`).map((f) => [f.version, f.value])).toEqual([[1, 3]]);
    const notes = await waitFor(
      () => notesFor("cityStaff", `/info/reports/${r.id}`),
      (n) => n.length >= 2,
    );
    expect(new Set(notes.map((n) => n.event.id)).size).toBe(1);
    const inbox = await waitFor(
      () => call<InboxList>("inbox.mine", { limit: 100 }, "cityStaff"),
      (l) => l.items.some((i) => i.link === `/info/reports/${r.id}`),
    );
    expect(inbox.items.filter((i) => i.link === `/info/reports/${r.id}`)).toHaveLength(1);
  });

  test("when a return is repeated without a command id, then 409 and nothing changes", async () => {
    const r = await newReport("kbStaff");
    await call("info.info.return", { id: r.id, comment: "请修改" }, "kbOffice");
    const err = await rejection(call("info.info.return", { id: r.id, comment: "请修改" }, "kbOffice"));
    expect([err.code, err.type]).toEqual([409, "INVALID_STATE"]);
    expect((await call<InfoReportView>("info.info.get", { id: r.id }, "kbStaff")).version).toBe(3);
  });

  test("when a report is kept as a draft, then only its author sees it, even a system admin does not", async () => {
    const d = await newReport("zbStaff", { submit: false });
    expect([d.status, d.stage, d.allowed]).toEqual(["draft", null, ["edit", "submit"]]);
    for (const w of ["zbOffice", "zbAdmin", "cityOffice", "admin", "hr"] as Who[])
      expect((await rejection(call("info.info.get", { id: d.id }, w))).code).toBe(404);
    expect((await call<InfoReportView>("info.info.get", { id: d.id }, "zbStaff")).status).toBe("draft");
  });

  test("when the county admin reviews, then they act as the county office; pending items stay hidden from other staff", async () => {
    const r = await newReport("zbStaff");
    expect(
      (await call<ListResult<InfoReportView>>("info.info.list", { box: "review" }, "zbAdmin")).items.map((x) => x.id),
    ).toContain(r.id);
    expect((await rejection(call("info.info.get", { id: r.id }, "kbStaff"))).code).toBe(404);
    const f = await call<InfoReportView>("info.info.forward", { id: r.id }, "zbAdmin");
    expect(f.stage).toBe("city");
  });

  test("when fields are missing, unknown or of the wrong type, then 422 names the field and nothing is written", async () => {
    const before = (await call<ListResult<InfoReportView>>("info.info.list", { box: "mine" }, "kbStaff")).total;
    const cases: [object, string][] = [
      [{ body: "正文" }, "title"],
      [{ title: "   ", body: "正文" }, "title"],
      [{ title: "标题", body: "正文", category: "闲聊" }, "category"],
      [{ title: "标题", body: "正文", extra: 1 }, "extra"],
      [{ title: { $gt: "" }, body: "正文" }, "title"],
    ];
    for (const [params, field] of cases) {
      const err = await rejection(call("info.info.create", params, "kbStaff"));
      expect(err.code).toBe(422);
      expect(JSON.stringify(err.data)).toContain(field);
    }
    const r = (await call<ListResult<InfoReportView>>("info.info.list", { box: "mine" }, "kbStaff")).items[0];
    const noComment = await rejection(call("info.info.return", { id: r.id }, "kbOffice"));
    expect([noComment.code, noComment.data[0].field]).toEqual([422, "comment"]);
    const badLevel = await rejection(call("info.info.adopt", { id: r.id, level: "county", usedIn: "x" }, "admin"));
    expect([badLevel.code, badLevel.data[0].field]).toEqual([422, "level"]);
    const after = await call<ListResult<InfoReportView>>("info.info.list", { box: "mine" }, "kbStaff");
    expect(after.total).toBe(before);
    expect(after.items[0].version).toBe(r.version);
  });

  test("when an id is unknown, then 404", async () => {
    expect((await rejection(call("info.info.get", { id: "ir-nope" }, "admin"))).code).toBe(404);
    expect(
      (await rejection(call("info.info.adopt", { id: "ir-nope", level: "city", usedIn: "x" }, "admin"))).code,
    ).toBe(404);
    expect((await rejection(call("info.publicity.verify", { id: "pb-nope" }, "admin"))).code).toBe(404);
  });

  test("when staff ask for the facts, then 403; HR may", async () => {
    expect((await rejection(call("info.facts.list", { year: 2026 }, "cityStaff"))).code).toBe(403);
    expect((await call<FactsResult>("info.facts.list", { year: 2026 }, "hr")).facts.length).toBeGreaterThan(0);
  });
});

describe("publicity", () => {
  let item: PublicityView;
  const input = {
    title: "财政资金精准滴灌",
    outlet: "张北县融媒体中心",
    outletLevel: "county",
    publishedOn: "2026-03-05",
  };

  test("when county staff record an article, then it waits for their office and is hidden from other counties", async () => {
    item = await call<PublicityView>("info.publicity.create", input, "zbStaff");
    expect(item).toMatchObject({ status: "pending", points: null, year: 2026, recordedByName: NAMES.zbStaff });
    expect((await rejection(call("info.publicity.get", { id: item.id }, "kbOffice"))).code).toBe(404);
    expect((await rejection(call("info.publicity.verify", { id: item.id }, "kbOffice"))).code).toBe(404);
    expect((await rejection(call("info.publicity.verify", { id: item.id }, "zbStaff"))).code).toBe(403);
    const desk = await call<ListResult<PublicityView>>("info.publicity.list", { box: "review" }, "zbOffice");
    expect(desk.items.map((p) => p.id)).toEqual([item.id]);
  });

  test("when the office verifies it, then points by outlet level, a fact dated the publishing day, the author told", async () => {
    item = await call<PublicityView>("info.publicity.verify", { id: item.id }, "zbOffice");
    expect(item).toMatchObject({ status: "verified", points: 0.5, verifiedByName: NAMES.zbOffice });
    const [fact] = await waitFor(
      () => factsOf(`pub:${item.id}`),
      (f) => f.length === 1,
    );
    expect(fact).toMatchObject({
      kind: "publicity",
      version: 1,
      value: 0.5,
      date: "2026-03-05",
      level: "county",
      label: "财政资金精准滴灌（张北县融媒体中心）",
    });
    await waitFor(
      () => notesFor("zbStaff", `/info/publicity/${item.id}`),
      (n) => n.length === 1,
    );
    expect((await call<PublicityView>("info.publicity.get", { id: item.id }, "kbStaff")).status).toBe("verified");
  });

  test("when the verification is revoked, then the fact is retracted with a new version", async () => {
    item = await call<PublicityView>("info.publicity.revoke", { id: item.id, comment: "不在统计范围" }, "zbOffice");
    expect([item.status, item.points]).toEqual(["pending", null]);
    const facts = await waitFor(
      () => factsOf(`pub:${item.id}`),
      (f) => f.length === 2,
    );
    expect(facts.map((f) => [f.version, f.value])).toEqual([
      [1, 0.5],
      [2, 0],
    ]);
  });

  test("when the office rejects and the author corrects it, then it is pending again", async () => {
    item = await call<PublicityView>("info.publicity.reject", { id: item.id, comment: "请补充链接" }, "zbOffice");
    expect(item.status).toBe("rejected");
    item = await call<PublicityView>(
      "info.publicity.update",
      { id: item.id, url: "https://example.gov.cn/a/1", outletLevel: "city", outlet: "张家口新闻网" },
      "zbStaff",
    );
    expect(item).toMatchObject({ status: "pending", outletLevel: "city", url: "https://example.gov.cn/a/1" });
    item = await call<PublicityView>("info.publicity.verify", { id: item.id }, "zbOffice");
    expect(item.points).toBe(1);
    const facts = await waitFor(
      () => factsOf(`pub:${item.id}`),
      (f) => f.length === 3,
    );
    expect(facts[2]).toMatchObject({ version: 3, value: 1, level: "city" });
  });

  test("when the office records for a colleague, then the colleague is the author; staff may not, nor another county", async () => {
    const p = await call<PublicityView>(
      "info.publicity.create",
      { ...input, authorStaffId: staff.zbStaff.id },
      "zbOffice",
    );
    expect([p.authorStaffId, p.recordedByName]).toEqual([staff.zbStaff.id, NAMES.zbOffice]);
    // Whoever recorded an item does not verify it: a second person does (here the county admin).
    expect(p.allowed).not.toContain("verify");
    const self = await rejection(call("info.publicity.verify", { id: p.id }, "zbOffice"));
    expect([self.code, self.type]).toEqual([403, "SELF_REVIEW"]);
    expect((await call<PublicityView>("info.publicity.get", { id: p.id }, "zbOffice")).status).toBe("pending");
    expect((await call<PublicityView>("info.publicity.verify", { id: p.id }, "zbAdmin")).status).toBe("verified");
    expect(
      (await rejection(call("info.publicity.create", { ...input, authorStaffId: staff.zbStaff.id }, "kbOffice"))).code,
    ).toBe(403);
    expect(
      (await rejection(call("info.publicity.create", { ...input, authorStaffId: staff.zbStaff.id }, "cityStaff"))).code,
    ).toBe(403);
  });

  test("when the date is in the future or malformed, or the level unknown, then 422 and nothing is written", async () => {
    const before = (await call<ListResult<PublicityView>>("info.publicity.list", { box: "mine" }, "kbStaff")).total;
    const cases: [object, string][] = [
      [{ ...input, publishedOn: "2026-03-11" }, "publishedOn"],
      [{ ...input, publishedOn: "2026-02-30" }, "publishedOn"],
      [{ ...input, outletLevel: "world" }, "outletLevel"],
      [{ ...input, url: "not a url" }, "url"],
    ];
    for (const [params, field] of cases) {
      const err = await rejection(call("info.publicity.create", params, "kbStaff"));
      expect([err.code, err.data[0].field]).toEqual([422, field]);
    }
    expect((await call<ListResult<PublicityView>>("info.publicity.list", { box: "mine" }, "kbStaff")).total).toBe(
      before,
    );
  });
});

describe("replicas", () => {
  test("when a report changes on one replica, then another replica's list shows the change", async () => {
    const [infoSchema] = await schemas("info");
    const second = await startNode("info2", [withClock(infoSchema, clock)]);
    nodes.push(second);
    const [a, b] = [nodes[2].nodeID, second.nodeID];
    const onNode = <T>(nodeID: string, action: string, params: object, w: Who): Promise<T> =>
      broker.call(action, params, { nodeID, meta: { user: user(w) } }) as Promise<T>;
    const desk = (nodeID: string) =>
      onNode<ListResult<InfoReportView>>(nodeID, "info.info.list", { box: "review" }, "kbOffice");
    await waitFor(
      () => broker.registry.getServiceList({ onlyAvailable: true }),
      (list) => list.some((svc) => svc.name === "info" && svc.nodeID === b),
    );
    const before = await desk(b); // loads b's index
    const r = await onNode<InfoReportView>(a, "info.info.create", { title: "副本测试", body: "正文" }, "kbStaff");
    const seen = await waitFor(
      () => desk(b),
      (l) => l.items.some((x) => x.id === r.id),
    );
    expect(seen.total).toBe(before.total + 1);
    await onNode(a, "info.info.forward", { id: r.id }, "kbOffice");
    await waitFor(
      () => desk(b),
      (l) => !l.items.some((x) => x.id === r.id),
    );
  });
});
