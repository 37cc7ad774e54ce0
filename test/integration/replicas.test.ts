/** A service running as two replicas over NATS: calls are balanced across both; a restarted process takes over at once. */
import { spawn, type ChildProcess } from "node:child_process";
import type { Context, Middleware, ServiceBroker } from "moleculer";
import { config } from "../../shared/config";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";

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

describe("a process restarted under the same node id", () => {
  /** A process of its own with one service, `slowpoke`: `hang` never answers, `who` says which process it is. */
  const spawnSlowpoke = (nodeID: string, who: string): ChildProcess =>
    spawn(
      process.execPath,
      [
        "-e",
        `const { ServiceBroker } = require("moleculer");
         const b = new ServiceBroker({ namespace: ${JSON.stringify(process.env.MINGBAI_NAMESPACE)},
           nodeID: ${JSON.stringify(nodeID)}, transporter: ${JSON.stringify(config().natsUrl)},
           serializer: "JSONExt", logger: false });
         b.createService({ name: "slowpoke", actions: { hang: () => new Promise(() => {}), who: () => ${JSON.stringify(who)} } });
         b.start();`,
      ],
      { stdio: "ignore" },
    );
  const children: ChildProcess[] = [];
  let caller: ServiceBroker;
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await caller?.stop();
  });

  test("when it is killed with a call waiting on it and comes back, then the call fails at once and new calls reach the new process", async () => {
    const nodeID = `slowpoke-${process.pid}`;
    children.push(spawnSlowpoke(nodeID, "first"));
    caller = await startNode("caller", []);
    await waitFor(
      () => caller.call("slowpoke.who").catch(() => null),
      (w) => w === "first",
    );
    const waiting = caller.call("slowpoke.hang", {}, { timeout: 120_000 }).then(
      () => "answered",
      (err: Error) => err.name,
    );
    await new Promise((r) => setTimeout(r, 300));
    children[0].kill("SIGKILL"); // no goodbye: the caller still counts the node as alive
    children.push(spawnSlowpoke(nodeID, "second"));
    // Well before the 120 s timeout (and before the dead node's heartbeat would expire).
    const outcome = await Promise.race([waiting, new Promise((r) => setTimeout(() => r("still waiting"), 10_000))]);
    expect(outcome).toBe("RequestRejectedError");
    await waitFor(
      () => caller.call("slowpoke.who").catch(() => null),
      (w) => w === "second",
    );
  }, 30_000);
});
