/**
 * The notices service with the real personnel service on separate brokers over NATS and FerretDB:
 * notices to the whole bureau, a county and a division, publishing scopes, read receipts and their
 * rebuild.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { ListResult, NoticeList, NoticeReceipts, NoticeView } from "../../shared/contracts/notices";
import type { StaffView } from "../../shared/contracts/personnel";
import type { DomainEvent } from "../../shared/events";
import { rejection } from "../support/cast";
import { NAMES, createStaff, placement, userOf, withClock, type Who } from "../support/office-staff";

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

const listener: ServiceSchema = {
  name: "listener",
  channels: {
    "notices.notice.published": {
      group: "listener",
      handler: (event: DomainEvent) => void received.push({ channel: "notices.notice.published", event }),
    },
  },
} as ServiceSchema;

beforeAll(async () => {
  const [noticesSchema] = await schemas("notices");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("notices", [withClock(noticesSchema, clock)]),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "notices"], 30_000);
  await createStaff(broker, staff);
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

beforeEach(() => clock.set(TODAY));

describe("notices and read receipts", () => {
  let bureau: NoticeView;
  let county: NoticeView;
  const published = () => received.filter((r) => r.channel === "notices.notice.published");

  test("when the city office publishes to the whole bureau, then every active staff member receives it", async () => {
    bureau = await call<NoticeView>(
      "notices.publish",
      { title: "关于报送4月份工作安排的通知", body: "请各单位按时报送。", scope: { type: "bureau" } },
      "cityOffice",
    );
    expect(bureau).toMatchObject({
      scopeLabel: "全局（市局及各县区）",
      recipientCount: Object.keys(placement).length,
      readCount: 0,
      recipient: true,
    });
    const ev = await waitFor(
      () => published().find((r) => (r.event.data as { noticeId: string }).noticeId === bureau.id),
      Boolean,
    );
    expect((ev!.event.data as { recipientStaffIds: string[] }).recipientStaffIds.sort()).toEqual(
      Object.values(staff)
        .map((s) => s.id)
        .sort(),
    );
  });

  test("when a county office publishes to its county, then only that county receives it", async () => {
    clock.set(new Date("2026-03-10T02:10:00Z"));
    county = await call<NoticeView>(
      "notices.publish",
      { title: "关于开展直达资金专项检查的通知", body: "检查安排如下。", scope: { type: "org", id: "zhangbei" } },
      "zbOffice",
    );
    expect([county.scopeLabel, county.recipientCount]).toEqual(["张北县财政局", 4]);
    expect((await rejection(call("notices.get", { id: county.id }, "cityStaff"))).code).toBe(404);
  });

  test("when someone publishes outside their scope or to an unknown scope, then 403 / 422 and nothing is published", async () => {
    const count = (await call<ListResult<NoticeView>>("notices.sent", {}, "admin")).total;
    const tries: [Who, object, number][] = [
      ["zbOffice", { type: "org", id: "kangbao" }, 403],
      ["cityStaff", { type: "bureau" }, 403],
      ["zbAdmin", { type: "bureau" }, 403],
      ["cityHead", { type: "division", id: "city-treasury" }, 403],
      ["cityOffice", { type: "org", id: "nowhere" }, 422],
      ["cityOffice", { type: "galaxy" }, 422],
    ];
    for (const [w, scope, code] of tries)
      expect((await rejection(call("notices.publish", { title: "t", body: "b", scope }, w))).code).toBe(code);
    const head = await call<NoticeView>(
      "notices.publish",
      { title: "处务会通知", body: "周五下午开会。", scope: { type: "division", id: "city-budget" } },
      "cityHead",
    );
    expect(head.recipientCount).toBe(2); // cityStaff and cityHead
    expect((await call<ListResult<NoticeView>>("notices.sent", {}, "admin")).total).toBe(count + 1);
  });

  test("when a county staff member reads a notice, then the unread count drops, and reading again changes nothing", async () => {
    const before = await call<NoticeList>("notices.mine", {}, "zbStaff");
    expect(before.items.map((n) => n.id)).toEqual([county.id, bureau.id]);
    expect(before.unread).toBe(2);
    clock.set(new Date("2026-03-10T03:00:00Z"));
    const first = await call<{ readAt: string; unread: number }>("notices.read", { id: county.id }, "zbStaff");
    expect(first).toMatchObject({ readAt: "2026-03-10T03:00:00.000Z", unread: 1 });
    clock.set(new Date("2026-03-10T04:00:00Z"));
    const again = await call<{ readAt: string; unread: number }>("notices.read", { id: county.id }, "zbStaff");
    expect(again).toMatchObject({ readAt: "2026-03-10T03:00:00.000Z", unread: 1 });
    const after = await call<NoticeList>("notices.mine", { unreadOnly: true }, "zbStaff");
    expect([after.unread, after.items.map((n) => n.id)]).toEqual([1, [bureau.id]]);
  });

  test("when the publisher's office looks at receipts, then it sees who has read and who hasn't; staff may not", async () => {
    clock.set(new Date("2026-03-10T05:00:00Z"));
    await call("notices.read", { id: county.id }, "zbAdmin");
    const r = await call<NoticeReceipts>("notices.receipts", { id: county.id }, "zbAdmin");
    expect([r.recipientCount, r.readCount]).toEqual([4, 2]);
    expect(r.read.map((p) => p.name)).toEqual([NAMES.zbStaff, NAMES.zbAdmin]);
    expect(r.unread.map((p) => p.name).sort()).toEqual([NAMES.zbHr, NAMES.zbOffice].sort());
    expect((await rejection(call("notices.receipts", { id: county.id }, "zbStaff"))).code).toBe(403);
    expect((await rejection(call("notices.receipts", { id: county.id }, "kbOffice"))).code).toBe(404);
    expect((await call<NoticeView>("notices.get", { id: county.id }, "zbOffice")).readCount).toBe(2);
  });

  test("when someone who is not a recipient marks a notice read, then 403 and no receipt is written", async () => {
    const head = (await call<ListResult<NoticeView>>("notices.sent", {}, "cityHead")).items[0];
    expect((await rejection(call("notices.read", { id: head.id }, "cityOffice"))).code).toBe(403);
    expect((await call<NoticeReceipts>("notices.receipts", { id: head.id }, "cityHead")).readCount).toBe(0);
  });

  test("when the receipts are rebuilt from the readers' documents, then they are the same", async () => {
    const before = await call<NoticeReceipts>("notices.receipts", { id: county.id }, "zbOffice");
    const result = await call<{ notices: number; reads: number }>("notices.reads.rebuild", {}, "admin");
    expect(result.reads).toBe(2);
    expect(await call<NoticeReceipts>("notices.receipts", { id: county.id }, "zbOffice")).toEqual(before);
  });
});

test("when a notice id is unknown, then 404", async () => {
  expect((await rejection(call("notices.read", { id: "nt-nope" }, "cityStaff"))).code).toBe(404);
});
