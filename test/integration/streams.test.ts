/**
 * The durable channels' JetStream streams: one per channel, created at start-up with the age and
 * size limits of the configuration, and brought to new limits when the configuration changes.
 */
import { connect, nanos, type NatsConnection } from "nats";
import { natsConnectOptions } from "../../shared/nats-url";
import { startNode, useTestNamespace } from "../support/broker";

const ns = useTestNamespace();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect(natsConnectOptions(process.env.NATS_URL ?? "nats://127.0.0.1:4222"));
});
afterAll(async () => {
  await nc.close();
});

async function streamsOfNamespace(): Promise<Map<string, { max_age: number; max_bytes: number }>> {
  const jsm = await nc.jetstreamManager();
  const out = new Map<string, { max_age: number; max_bytes: number }>();
  for await (const s of jsm.streams.list()) if (s.config.name.startsWith(`${ns}_`)) out.set(s.config.name, s.config);
  return out;
}

async function startWith(env: Record<string, string>): Promise<void> {
  jest.resetModules(); // the configuration is read once per module registry
  Object.assign(process.env, env);
  const broker = await startNode("streams", []);
  await broker.stop();
}

test("when a process starts, then every channel has its stream with the configured limits", async () => {
  await startWith({ STREAM_MAX_AGE_DAYS: "2", STREAM_MAX_MB: "5" });
  const { CHANNEL_NAMES } = await import("../../shared/events");
  const streams = await streamsOfNamespace();
  // Each channel's own stream and its dead-letter stream (shared/channel-adapter.ts).
  const names = CHANNEL_NAMES.flatMap((c) => [
    `${ns}_${c.split(".").join("_")}`,
    `${ns}_DEAD_${c.split(".").join("_")}`,
  ]);
  expect([...streams.keys()].sort()).toEqual(names.sort());
  for (const s of streams.values()) {
    expect(s.max_age).toBe(nanos(2 * 86_400_000));
    expect(s.max_bytes).toBe(5 * 1024 * 1024);
  }
});

test("when the limits change, then the next start brings the existing streams to them", async () => {
  await startWith({ STREAM_MAX_AGE_DAYS: "7", STREAM_MAX_MB: "64" });
  const streams = await streamsOfNamespace();
  expect(streams.size).toBeGreaterThan(10);
  for (const s of streams.values()) {
    expect(s.max_age).toBe(nanos(7 * 86_400_000));
    expect(s.max_bytes).toBe(64 * 1024 * 1024);
  }
});
