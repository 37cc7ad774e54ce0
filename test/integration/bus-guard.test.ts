/**
 * The bus does not take `meta.system` on trust: a request written straight onto NATS with
 * `system: true` is refused, a system call from one of our brokers (which proves the service
 * secret) is served, and a system sub-call does not leave the caller's request running as the system.
 */
import { randomUUID } from "node:crypto";
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { connect, type NatsConnection } from "nats";
import { natsConnectOptions } from "../../shared/nats-url";
import type { CallMeta } from "../../shared/auth";
import { cityStaff } from "../support/actors";
import { SYSTEM, startNode, useTestNamespace } from "../support/broker";

const ns = useTestNamespace();

const vault: ServiceSchema = {
  name: "vault",
  actions: {
    secret: { auth: "internal", handler: () => "the directory of every member" },
    /** As a user-facing action that reads another service's internal action on the system's behalf. */
    lookup: {
      async handler(ctx: Context<unknown, CallMeta>) {
        const value = await ctx.call<string, object>("vault.secret", {}, { meta: { system: true } });
        return { value, systemAfter: ctx.meta.system ?? null };
      },
    },
  },
} as unknown as ServiceSchema;

interface Response {
  success: boolean;
  data?: unknown;
  error?: { code: number; type: string };
}

/** Sends a Moleculer request packet to `nodeID` as a stranger on the bus would, and waits for the answer. */
async function rawRequest(nc: NatsConnection, nodeID: string, meta: object): Promise<Response> {
  const sender = `stranger-${randomUUID().slice(0, 8)}`;
  const sub = nc.subscribe(`MOL-${ns}.RES.${sender}`, { max: 1 });
  const id = randomUUID();
  const packet = {
    ver: "5",
    sender,
    id,
    action: "vault.secret",
    params: {},
    meta,
    headers: {},
    timeout: 5000,
    level: 1,
    tracing: false,
    parentID: null,
    requestID: id,
    caller: null,
    stream: false,
  };
  nc.publish(`MOL-${ns}.REQ.${nodeID}`, JSON.stringify(packet));
  for await (const m of sub) return JSON.parse(new TextDecoder().decode(m.data)) as Response;
  throw new Error("no answer");
}

describe("meta.system on the bus", () => {
  let server: ServiceBroker;
  let client: ServiceBroker;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNode("vault", [vault]);
    client = await startNode("caller", []);
    await client.waitForServices(["vault"]);
    const { config } = await import("../../shared/config");
    nc = await connect(natsConnectOptions(config().natsUrl));
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await client?.stop();
    await server?.stop();
  });

  test("when a raw NATS client sends a request with meta.system true, then it is refused with 403", async () => {
    const r = await rawRequest(nc, server.nodeID, { system: true });
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({ code: 403, type: "SERVICE_IDENTITY" });
  });

  test("when a raw NATS client copies a proof made for another action, then it is refused as well", async () => {
    const { systemProof } = await import("../../shared/service-identity");
    const r = await rawRequest(nc, server.nodeID, { system: true, $systemProof: systemProof("vault.lookup") });
    expect(r.error).toMatchObject({ code: 403, type: "SERVICE_IDENTITY" });
  });

  // Where the launcher started NATS itself, it requires a password (deploy/local/infra.js).
  const guarded = natsConnectOptions(process.env.NATS_URL ?? "nats://127.0.0.1:4222").user ? test : test.skip;
  guarded("when a client without the NATS password connects, then it is refused", async () => {
    const { servers } = natsConnectOptions(process.env.NATS_URL!);
    await expect(connect({ servers, reconnect: false })).rejects.toThrow(/Authorization/i);
  });

  test("when one of our brokers makes a system call to another node, then it is served", async () => {
    await expect(client.call("vault.secret", {}, SYSTEM)).resolves.toBe("the directory of every member");
  });

  test("when a user's request makes a system sub-call, then the rest of the request does not run as the system", async () => {
    const r = await client.call("vault.lookup", {}, { meta: { user: cityStaff.user } });
    expect(r).toEqual({ value: "the directory of every member", systemAfter: null });
  });
});
