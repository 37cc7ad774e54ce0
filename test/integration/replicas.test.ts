/** A service running as two replicas over NATS: calls are balanced across both. */
import type { Context, Middleware, ServiceBroker } from "moleculer";
import { schemas, startNode, useTestNamespace } from "../support/broker";

useTestNamespace();

const staffUser = {
  accountId: "a",
  sessionId: "s",
  staffId: "s1",
  name: "甲",
  orgId: "city",
  divisionId: null,
  roles: ["staff"],
};

/** Counts the local calls each replica's broker handles. */
function counter(counts: Map<string, number>, nodeId: () => string): Middleware {
  return {
    name: "CallCounter",
    localAction(next, action) {
      if (action.name !== "personnel.orgs.list") return next;
      return (ctx: Context) => {
        counts.set(nodeId(), (counts.get(nodeId()) ?? 0) + 1);
        return (next as (c: Context) => Promise<unknown>)(ctx);
      };
    },
  };
}

describe("two replicas of a service", () => {
  const nodes: ServiceBroker[] = [];
  afterAll(async () => {
    for (const n of nodes) await n.stop();
  });

  test("when 20 calls are made from another node, then both replicas serve some and together all of them", async () => {
    const counts = new Map<string, number>();
    for (const name of ["replica-a", "replica-b"]) {
      const holder: { broker?: ServiceBroker } = {};
      holder.broker = await startNode(name, await schemas("personnel"), [counter(counts, () => holder.broker!.nodeID)]);
      nodes.push(holder.broker);
    }
    const caller = await startNode("caller", []);
    nodes.push(caller);
    await caller.waitForServices(["personnel"]);
    // Both replicas must be known before balancing can be observed.
    for (
      let i = 0;
      i < 50 &&
      caller.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === "personnel").length < 2;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));

    const results = [];
    for (let i = 0; i < 20; i++)
      results.push(await caller.call("personnel.orgs.list", {}, { meta: { user: staffUser } }));

    expect((results[0] as unknown[]).length).toBe(21);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(20);
    expect(counts.size).toBe(2);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(5);
  });
});
