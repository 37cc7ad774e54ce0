/**
 * Several worklog replicas, each with its own in-process read index, over the real NATS and FerretDB:
 * a log written through one is found in the others' feed and search (broadcast, then re-read by
 * `_id`), a replica that misses the broadcasts catches up from the change journal (a Redis stream),
 * rebuilds its index when that journal was lost, and a replica started later builds its index from
 * the logs before it serves anything.
 */
import { startNode, schemas, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import { redis } from "../../shared/redis";

import type { Middleware, ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import type { FeedResult, LogView, SearchResult } from "../../shared/contracts/worklog";

const nodes: ServiceBroker[] = [];
let a: ServiceBroker;
let b: ServiceBroker;
let deaf: ServiceBroker;
let worklog: ServiceSchema;

const author: AuthUser = {
  accountId: "acc-r1",
  sessionId: "sess-r1",
  staffId: "s-r1",
  name: "副本甲",
  orgId: "zhangbei",
  divisionId: "zhangbei-budget",
  roles: ["staff"],
};
const reader: AuthUser = { ...author, accountId: "acc-r2", sessionId: "sess-r2", staffId: "s-r2", name: "副本乙" };

/** Calls worklog on one given replica. */
const on = <T>(node: ServiceBroker, action: string, params: object, u: AuthUser = reader): Promise<T> =>
  node.call(`worklog.${action}`, params, { meta: { user: u }, nodeID: node.nodeID }) as Promise<T>;
const feedIds = async (node: ServiceBroker, params: object = { authorId: author.staffId, limit: 100 }) =>
  (await on<FeedResult>(node, "logs.feed", params)).items.map((l) => l.id);
const searchIds = async (node: ServiceBroker, q: string) =>
  (await on<SearchResult>(node, "logs.search", { q })).items.map((l) => l.id);

/** Drops every `worklog.cache.invalidate` this node would handle: a replica that misses the broadcasts. */
const dropBroadcasts: Middleware = {
  name: "DropWorklogBroadcasts",
  localEvent(next, event) {
    return event.name === "worklog.cache.invalidate" ? () => Promise.resolve() : next;
  },
};

const replica = (name: string, settings: object, middlewares: Middleware[] = []) =>
  startNode(name, [{ ...worklog, settings: { ...worklog.settings, ...settings } } as ServiceSchema], middlewares);

beforeAll(async () => {
  [worklog] = await schemas("worklog");
  nodes.push(await startNode("personnel", await schemas("personnel")));
  // A long catch-up period on a and b: what they learn in a test comes from the broadcasts.
  a = await replica("worklog-a", { indexCatchUpMs: 600_000 });
  b = await replica("worklog-b", { indexCatchUpMs: 600_000 });
  deaf = await replica("worklog-deaf", { indexCatchUpMs: 300 }, [dropBroadcasts]);
  nodes.push(a, b, deaf);
  for (const n of [a, b, deaf])
    await waitFor(
      () => n.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === "worklog").length,
      (count) => count === 3,
    );
}, 60_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

test("when a log is written, edited and withdrawn through one replica, then another replica's feed and search follow", async () => {
  const log = await on<LogView>(a, "logs.create", { done: "独特词：雪场配套资金。" }, author);
  await waitFor(
    () => feedIds(b),
    (ids) => ids.includes(log.id),
  );
  expect(await searchIds(b, "雪场配套")).toEqual([log.id]);

  await on(a, "logs.update", { id: log.id, done: "改为：冬奥场馆运维。", tags: ["冬奥"] }, author);
  await waitFor(
    () => searchIds(b, "场馆运维"),
    (ids) => ids.includes(log.id),
  );
  expect(await searchIds(b, "雪场配套")).toEqual([]);
  expect(await feedIds(b, { tag: "冬奥" })).toEqual([log.id]);

  await on(a, "logs.withdraw", { id: log.id }, author);
  await waitFor(
    () => searchIds(b, "场馆运维"),
    (ids) => ids.length === 0,
  );
  const tomb = (await on<FeedResult>(b, "logs.feed", { authorId: author.staffId })).items.find((l) => l.id === log.id);
  expect(tomb).toMatchObject({ status: "withdrawn", done: "" });
});

test("when a log is read through one replica, then the other replica's feed shows the new read count", async () => {
  const log = await on<LogView>(a, "logs.create", { done: "读数同步测试。" }, author);
  await on(b, "logs.get", { id: log.id }, reader);
  const seen = await waitFor(
    async () => (await on<FeedResult>(a, "logs.feed", { authorId: author.staffId })).items.find((l) => l.id === log.id),
    (l) => l?.readCount === 1,
  );
  expect(seen?.readCount).toBe(1);
});

test("when a replica misses the broadcast, then its catch-up from the change journal brings the new log and the edit", async () => {
  const log = await on<LogView>(a, "logs.create", { done: "漏听广播：债务风险排查。" }, author);
  // b heard the broadcast; the deaf replica finds it only through the journal.
  await waitFor(
    () => feedIds(b),
    (ids) => ids.includes(log.id),
  );
  await waitFor(
    () => searchIds(deaf, "债务风险"),
    (ids) => ids.includes(log.id),
  );
  const edited = await on<LogView>(b, "logs.update", { id: log.id, done: "漏听广播：专项债审核。" }, author);
  expect(edited.version).toBe(2);
  await waitFor(
    () => searchIds(deaf, "专项债"),
    (ids) => ids.includes(log.id),
  );
  expect(await searchIds(deaf, "债务风险")).toEqual([]);
});

test("when Redis lost the change journal, then a replica that missed the broadcasts rebuilds its index and finds what was lost", async () => {
  // A deaf replica that catches up only when told to, so the test decides when it reads the journal.
  const paused = await replica("worklog-paused", { indexCatchUpMs: 600_000 }, [dropBroadcasts]);
  nodes.push(paused);
  const lost = await on<LogView>(a, "logs.create", { done: "日志流丢失前：国有资产清查。" }, author);
  // What a Redis restart without persistence does to the stream: it is gone, with the entry of `lost`.
  expect(await redis().del("worklog:index-journal")).toBe(1);
  const after = await on<LogView>(a, "logs.create", { done: "日志流丢失后：行政事业单位资产。" }, author);
  expect(await redis().xlen("worklog:index-journal")).toBe(2); // the `reset` entry, then the change
  expect(await searchIds(paused, "资产清查")).toEqual([]);
  await (paused.getLocalService("worklog") as unknown as { catchUp(): Promise<void> }).catchUp();
  expect(await searchIds(paused, "资产清查")).toEqual([lost.id]);
  expect(await searchIds(paused, "行政事业")).toEqual([after.id]);
  expect(await feedIds(paused)).toEqual(await feedIds(a));
});

test("when a replica starts after logs were written, then its first answers already hold them", async () => {
  const drafts = await on<LogView>(a, "logs.create", { done: "后启动副本的草稿。", publish: false }, author);
  const late = await replica("worklog-late", { indexCatchUpMs: 600_000 });
  nodes.push(late);
  const ids = await feedIds(late);
  expect(ids.length).toBeGreaterThanOrEqual(3);
  expect(ids).toEqual(await feedIds(a));
  expect((await on<LogView[]>(late, "logs.drafts", {}, author)).map((d) => d.id)).toEqual([drafts.id]);
});
