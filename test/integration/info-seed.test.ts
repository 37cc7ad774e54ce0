/**
 * The info demo data on FerretDB over the full personnel demo (1,500 staff in 21 organisations):
 * loaded in well under 30 seconds, every fact published once on `indicator.fact.recorded` and listed
 * again, page by page, by `facts.list` for the assessment service's rebuild; the demo logins see
 * their own reports and their review desk.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser, Role } from "../../shared/auth";
import type { IndicatorFact } from "../../shared/contracts/assessment";
import type { FactsResult, InfoReportView, InfoSeedResult } from "../../shared/contracts/info";
import type { ListResult } from "../../shared/contracts/notices";
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";
import type { DomainEvent } from "../../shared/events";
import { localDate } from "../../shared/time";

let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
let seed: InfoSeedResult;
let people: DemoPeople;
let directory: Map<string, DirectoryEntry>;
const published = new Map<string, IndicatorFact>();

const listener: ServiceSchema = {
  name: "listener",
  channels: {
    "indicator.fact.recorded": {
      group: "listener",
      handler: (event: DomainEvent<"indicator.fact.recorded">) => void published.set(event.id, event.data),
    },
  },
} as ServiceSchema;

const as = (role: Role): { meta: { user: AuthUser } } => {
  const s = directory.get(people[role])!;
  return {
    meta: {
      user: {
        accountId: `acc-${s.id}`,
        sessionId: "sess",
        staffId: s.id,
        name: s.name,
        orgId: s.orgId,
        divisionId: s.divisionId,
        roles: [role],
      },
    },
  };
};

beforeAll(async () => {
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("info", await schemas("info")),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "info", "listener"], 30_000);
  await broker.call("personnel.demo.seed", {}, { ...SYSTEM, timeout: 600_000 });
  seed = await broker.call<InfoSeedResult, object>("info.demo.seed", {}, { ...SYSTEM, timeout: 120_000 });
  console.log("info demo seed", seed);
  people = await broker.call<DemoPeople, object>("personnel.demo.people", {}, SYSTEM);
  const staff = await broker.call<DirectoryEntry[], object>("personnel.staff.directory", {}, SYSTEM);
  directory = new Map(staff.map((s) => [s.id, s]));
}, 600_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

test("when the demo is seeded, then a year of reports and publicity loads in under 30 seconds", () => {
  expect(seed.seeded).toBe(true);
  expect(seed.reports).toBeGreaterThan(500);
  expect(seed.adopted).toBeGreaterThan(200);
  expect(seed.publicity).toBeGreaterThan(300);
  expect(seed.verified).toBeGreaterThan(200);
  expect(seed.ms).toBeLessThan(30_000);
});

test("when seeded again without reset, then nothing changes", async () => {
  expect(await broker.call("info.demo.seed", {}, SYSTEM)).toEqual({ seeded: false });
});

test("when the assessment service lists the facts page by page, then they are the published ones, each once", async () => {
  await waitFor(
    () => published.size,
    (n) => n >= seed.facts!,
    30_000,
  );
  const year = Number(localDate(new Date()).slice(0, 4));
  const listed: IndicatorFact[] = [];
  for (const y of [year - 1, year]) {
    let cursor: string | undefined;
    do {
      const page: FactsResult = await broker.call("info.facts.list", { year: y, limit: 300, cursor }, SYSTEM);
      expect(page.facts.length).toBeLessThanOrEqual(300);
      listed.push(...page.facts);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  expect(listed.length).toBe(seed.facts);
  expect(new Set(listed.map((f) => f.factId)).size).toBe(listed.length);
  const byFactId = new Map([...published.values()].map((f) => [f.factId, f]));
  for (const f of listed) expect(byFactId.get(f.factId)).toEqual(f);
  const orgs = new Set(listed.filter((f) => f.value > 0).map((f) => f.orgId));
  expect(orgs.size).toBe(21);
});

test("when the demo logins look, then staff see their reports in every state and the county admin a desk", async () => {
  const mine = await broker.call<ListResult<InfoReportView>, object>(
    "info.info.list",
    { box: "mine", limit: 50 },
    as("staff"),
  );
  expect(new Set(mine.items.map((r) => r.status))).toEqual(new Set(["adopted", "returned", "submitted", "draft"]));
  const desk = await broker.call<ListResult<InfoReportView>, object>(
    "info.info.list",
    { box: "review" },
    as("county_admin"),
  );
  expect(desk.total).toBeGreaterThanOrEqual(3);
  expect(desk.items.every((r) => r.orgId === "zhangbei" && r.stage === "county")).toBe(true);
});
