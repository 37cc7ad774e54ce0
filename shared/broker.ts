/**
 * Broker options every Mingbai process uses: NATS transporter, durable channels on JetStream,
 * the authz middleware, and the JetStream streams created before any service starts.
 */
import os from "node:os";
import { Validators, type BrokerOptions, type Middleware, type ServiceBroker } from "moleculer";
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import { connect, nanos, type StreamConfig } from "nats";
import { AuditOutboxMiddleware } from "./audit";
import { MingbaiNatsAdapter, deadLetterSubject } from "./channel-adapter";
import type { Config } from "./config";
import { natsConnectOptions } from "./nats-url";
import { CHANNEL_NAMES } from "./events";
import { AuthzMiddleware } from "./middlewares/authz";
import { closeRedis } from "./redis";
import { ZH_VALIDATION_MESSAGES } from "./validation-messages";

/** Stream name as @moleculer/channels derives it from the prefixed channel name. */
export const streamName = (subject: string): string => subject.split(".").join("_");

type StreamSettings = Pick<Config, "natsUrl" | "namespace" | "streamMaxAgeDays" | "streamMaxMb">;

/** The age and size limits of every channel's stream (the channels adapter creates them with the same). */
const streamLimits = (cfg: StreamSettings): Partial<StreamConfig> => ({
  max_age: nanos(cfg.streamMaxAgeDays * 86_400_000),
  // JetStream reserves max_bytes of its storage for each stream up front, so it is off unless set.
  max_bytes: cfg.streamMaxMb ? cfg.streamMaxMb * 1024 * 1024 : -1,
});

/**
 * Creates every durable channel's stream, and its dead-letter stream, up front, so a publish never
 * meets "503 no responders", with the age and size limits of the configuration (an existing stream
 * is updated to them).
 */
export function streamsMiddleware(cfg: StreamSettings): Middleware {
  const { natsUrl, namespace: prefix } = cfg;
  const limits = streamLimits(cfg);
  return {
    name: "Streams",
    async starting() {
      const nc = await connect(natsConnectOptions(natsUrl));
      try {
        const jsm = await nc.jetstreamManager();
        const subjects = CHANNEL_NAMES.flatMap((c) => [`${prefix}.${c}`, deadLetterSubject(prefix, c)]);
        for (const subject of subjects) {
          const stream = { name: streamName(subject), subjects: [subject], ...limits };
          try {
            await jsm.streams.add(stream);
          } catch (err) {
            if (!/already in use/.test((err as Error).message)) throw err;
            await jsm.streams.update(stream.name, limits);
          }
        }
      } finally {
        await nc.close();
      }
    },
  };
}

/**
 * A process that crashed and was restarted comes back under the same node id (the launcher and
 * Kubernetes keep it) with a new instance id. The calls still waiting on the old instance will never
 * be answered: they are rejected at once (RequestRejectedError, 503 at the gateway) instead of
 * holding the caller until the request timeout.
 */
const RestartedNodesMiddleware: Middleware = {
  name: "RestartedNodes",
  created(broker: ServiceBroker) {
    const instances = new Map<string, string>();
    const seen = ({ node }: { node: { id: string; instanceID: string } }) => {
      const before = instances.get(node.id);
      instances.set(node.id, node.instanceID);
      if (before && before !== node.instanceID) broker.transit?.removePendingRequestByNodeID(node.id);
    };
    broker.localBus.on("$node.connected", seen);
    broker.localBus.on("$node.updated", seen);
  },
};

export function brokerOptions(cfg: Config, overrides: Partial<BrokerOptions> = {}): BrokerOptions {
  return {
    namespace: cfg.namespace,
    nodeID: cfg.nodeId || `${os.hostname()}-${process.pid}`,
    transporter: { type: "NATS", options: { url: cfg.natsUrl } },
    // JSONExt keeps Buffers (file exports) and Dates intact across nodes.
    serializer: "JSONExt",
    validator: new Validators.Fastest({ messages: ZH_VALIDATION_MESSAGES }),
    logger: { type: "Console", options: { level: cfg.logLevel, formatter: "short", colors: process.stdout.isTTY } },
    requestTimeout: 15_000,
    registry: { strategy: "RoundRobin", preferLocal: true },
    middlewares: [
      streamsMiddleware(cfg),
      ChannelsMiddleware({
        adapter: new MingbaiNatsAdapter(
          {
            nats: { connectionOptions: natsConnectOptions(cfg.natsUrl), streamConfig: streamLimits(cfg) },
            prefix: cfg.namespace,
          },
          {
            maxRetries: cfg.channelMaxRetries,
            baseDelayMs: cfg.channelRetryBaseMs,
            maxDelayMs: cfg.channelRetryMaxMs,
          },
        ),
      } as unknown as Parameters<typeof ChannelsMiddleware>[0]) as Middleware,
      AuthzMiddleware,
      RestartedNodesMiddleware,
      AuditOutboxMiddleware,
    ],
    stopped: () => closeRedis(),
    ...overrides,
  };
}
