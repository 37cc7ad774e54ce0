/**
 * Test brokers on the real NATS, Redis and FerretDB started by `npm test`.
 * Each test file gets its own namespace, so its subjects, streams and databases are its own.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServiceBroker, type Middleware, type ServiceSchema } from "moleculer";

/** Where this jest run lists its namespaces, for the global teardown. */
export const namespacesFile = (): string =>
  path.join(os.tmpdir(), `mingbai-test-namespaces-${process.env.MINGBAI_TEST_RUN ?? "adhoc"}`);

/** Call at the top of a test file, before anything reads the config. */
export function useTestNamespace(): string {
  const ns = `t${randomBytes(4).toString("hex")}`;
  fs.appendFileSync(namespacesFile(), `${ns}\n`);
  process.env.MINGBAI_NAMESPACE = ns;
  process.env.LOG_LEVEL ??= "warn";
  process.env.PORT = "0";
  return ns;
}

/** A broker of its own (a "node") running the given schemas over NATS. */
export async function startNode(
  nodeId: string,
  schemas: ServiceSchema[],
  extraMiddlewares: Middleware[] = [],
): Promise<ServiceBroker> {
  // Imported lazily so that useTestNamespace() has set the environment first.
  const { brokerOptions } = await import("../../shared/broker");
  const { config } = await import("../../shared/config");
  const opts = brokerOptions(config(), { nodeID: `${nodeId}-${randomBytes(3).toString("hex")}` });
  opts.middlewares = [...(opts.middlewares ?? []), ...extraMiddlewares];
  const broker = new ServiceBroker(opts);
  for (const s of schemas) broker.createService(s);
  await broker.start();
  return broker;
}

/** Loads a service's schemas by name, as the process entry does. */
export async function schemas(...names: import("../../shared/services").ServiceName[]): Promise<ServiceSchema[]> {
  const { serviceSchemas } = await import("../../services/main");
  return names.flatMap((n) => serviceSchemas(n));
}

/** Meta for a call made as a trusted system job (seeders, cron). */
export const SYSTEM = { meta: { system: true } };

/** Polls until the predicate holds (for durable events that arrive asynchronously). */
export async function waitFor<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
