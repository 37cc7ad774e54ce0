/**
 * An audit entry whose publish fails after the change was written (NATS away) is kept in the
 * Redis outbox and sent later under the same event id: it reaches the audit log once.
 */
import type { Context, ServiceBroker } from "moleculer";
import { sysAdmin } from "../support/actors";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";

useTestNamespace();

type Adapter = { connected: boolean };

describe("the audit outbox", () => {
  let node: ServiceBroker;
  beforeAll(async () => {
    node = await startNode("outbox", await schemas("audit"));
  }, 60_000);
  afterAll(() => node?.stop());

  test("when publishing an audit entry fails, then it is kept and later reaches the audit log once", async () => {
    const { audit, drainAuditOutbox } = await import("../../shared/audit");
    const { redis } = await import("../../shared/redis");
    const adapter = (node as unknown as { channelAdapter: Adapter }).channelAdapter;
    const ctx = { broker: node, meta: { user: sysAdmin.user, ip: "203.0.113.7" } } as unknown as Context<
      unknown,
      object
    >;

    // The channel adapter has lost its connection: the publish throws, the entry goes to the outbox.
    adapter.connected = false;
    try {
      await audit(ctx, "test.outbox", "success", "thing:1");
    } finally {
      adapter.connected = true;
    }
    expect(await redis().llen("audit:outbox")).toBe(1);

    // Sent again (twice, as two processes might): one entry in the log.
    expect(await drainAuditOutbox(node)).toBe(1);
    expect(await drainAuditOutbox(node)).toBe(0);
    const list = () =>
      node.call<{ items: { action: string; ip: string; target: string }[] }, object>(
        "audit.list",
        { action: "test.outbox" },
        { meta: { user: sysAdmin.user } },
      );
    const r = await waitFor(list, (x) => x.items.length > 0);
    expect(r.items).toEqual([expect.objectContaining({ action: "test.outbox", ip: "203.0.113.7", target: "thing:1" })]);
    expect(await redis().llen("audit:outbox")).toBe(0);
  });
});
