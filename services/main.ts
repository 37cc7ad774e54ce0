/**
 * Process entry: runs the services named in SERVICES ("all", or e.g. "personnel,accounts")
 * on one broker. One process per service is the production shape; "all" is the single-process one.
 */
import path from "node:path";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { brokerOptions } from "../shared/broker";
import { config, ConfigError } from "../shared/config";
import { SERVICE_NAMES, type ServiceName } from "../shared/services";

/** The schemas a service name stands for; the gateway brings its OpenAPI generator along. */
export function serviceSchemas(name: ServiceName): ServiceSchema[] {
  const files =
    name === "gateway"
      ? [
          path.join(__dirname, "..", "gateway", "gateway.service"),
          path.join(__dirname, "..", "gateway", "openapi.service"),
        ]
      : [path.join(__dirname, name, `${name}.service`)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.map((f) => require(f).default as ServiceSchema);
}

export function selectServices(spec: string): ServiceName[] {
  if (spec === "all") return [...SERVICE_NAMES];
  const names = spec.split(",").filter(Boolean);
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length)
    throw new ConfigError(`Invalid SERVICES: unknown ${unknown.join(", ")}; known: ${SERVICE_NAMES.join(", ")}`);
  return names as ServiceName[];
}

async function main(): Promise<void> {
  const cfg = config();
  const broker = new ServiceBroker(brokerOptions(cfg));
  for (const name of selectServices(cfg.services)) serviceSchemas(name).forEach((s) => broker.createService(s));
  // The broker itself stops gracefully on SIGINT and SIGTERM.
  await broker.start();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError ? `配置错误 / configuration error: ${err.message}` : err);
    process.exit(1);
  });
}
