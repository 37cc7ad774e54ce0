/**
 * The notices demo data on FerretDB over the full personnel demo (1,500 staff in 21 organisations):
 * a year of notices with their read receipts, loaded in well under 30 seconds; the demo staff login
 * has unread notices.
 */
import { schemas, startNode, SYSTEM, useTestNamespace } from "../support/broker";
useTestNamespace();

import type { ServiceBroker } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import type { NoticeList, NoticesSeedResult } from "../../shared/contracts/notices";
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";

let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
let seed: NoticesSeedResult;

beforeAll(async () => {
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("notices", await schemas("notices")),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "notices"], 30_000);
  await broker.call("personnel.demo.seed", {}, { ...SYSTEM, timeout: 600_000 });
  seed = await broker.call<NoticesSeedResult, object>("notices.demo.seed", {}, { ...SYSTEM, timeout: 120_000 });
  console.log("notices demo seed", seed);
}, 600_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

test("when the demo is seeded, then a year of notices and their receipts loads in under 30 seconds", () => {
  expect(seed.seeded).toBe(true);
  expect(seed.notices).toBeGreaterThan(100);
  expect(seed.reads).toBeGreaterThan(20_000);
  expect(seed.ms).toBeLessThan(30_000);
});

test("when seeded again without reset, then nothing changes", async () => {
  expect(await broker.call("notices.demo.seed", {}, SYSTEM)).toEqual({ seeded: false });
});

test("when the demo staff login looks, then it has unread notices", async () => {
  const people = await broker.call<DemoPeople, object>("personnel.demo.people", {}, SYSTEM);
  const [s] = await broker.call<DirectoryEntry[], object>("personnel.staff.directory", { ids: [people.staff] }, SYSTEM);
  const user: AuthUser = {
    accountId: `acc-${s.id}`,
    sessionId: "sess",
    staffId: s.id,
    name: s.name,
    orgId: s.orgId,
    divisionId: s.divisionId,
    roles: ["staff"],
  };
  const notices = await broker.call<NoticeList, object>("notices.mine", {}, { meta: { user } });
  expect(notices.total).toBeGreaterThan(24);
  expect(notices.unread).toBeGreaterThan(0);
});
