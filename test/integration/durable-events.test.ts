import type { ServiceBroker, ServiceSchema } from "moleculer";
import { startNode, useTestNamespace, waitFor } from "../support/broker";

useTestNamespace();

/** A consumer that records the audit entries it receives, de-duplicated by event id. */
function consumer(received: Map<string, number>): ServiceSchema {
  return {
    name: "consumer",
    channels: {
      "audit.entry": {
        group: "consumer",
        handler(event: { id: string }) {
          received.set(event.id, (received.get(event.id) ?? 0) + 1);
        },
      },
    },
  } as ServiceSchema;
}

describe("durable events over JetStream", () => {
  let publisher: ServiceBroker;
  afterAll(() => publisher?.stop());

  test("when the consumer is down while events are published, then it receives all of them once it is back", async () => {
    const { publish } = await import("../../shared/events");
    const received = new Map<string, number>();
    // First start registers the durable consumer group, then it goes down.
    const first = await startNode("consumer", [consumer(received)]);
    await first.stop();

    publisher = await startNode("publisher", []);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const ev = await publish(publisher, "audit.entry", {
        action: "test.event",
        result: "success",
        actorAccountId: null,
        actorName: null,
        actorOrgId: null,
        ip: null,
        target: `n:${i}`,
        at: new Date().toISOString(),
      });
      ids.push(ev.id);
    }
    expect(received.size).toBe(0);

    const back = await startNode("consumer", [consumer(received)]);
    try {
      await waitFor(() => ids.every((id) => received.has(id)), Boolean);
      expect([...received.keys()].sort()).toEqual([...ids].sort());
    } finally {
      await back.stop();
    }
  });

  test("when no consumer has ever subscribed, then publishing still succeeds because streams exist from start-up", async () => {
    const { publish } = await import("../../shared/events");
    const broker = await startNode("lonely", []);
    try {
      const ev = await publish(broker, "personnel.staff.changed", {
        staffId: "s1",
        name: "测试",
        orgId: "city",
        divisionId: "d1",
        postId: null,
        phone: null,
        status: "active",
        version: 1,
      });
      expect(ev.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await broker.stop();
    }
  });
});
