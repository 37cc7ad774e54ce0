/**
 * Loads the demo data through each service's own `demo.seed` action, in dependency order.
 * `--if-empty` (the default) seeds only services that hold no data yet; `--reset` reloads all.
 */
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../shared/broker";
import { config } from "../shared/config";

/** The longest seed (worklog's 32,000 logs, assessment's rebuild) on a slow, busy machine. */
const SEED_TIMEOUT_MS = 30 * 60_000;

/** Services with demo data, in the order their data depends on each other. */
export const SEED_ORDER = [
  "personnel",
  "accounts",
  "worklog",
  "plans",
  "info",
  "notices",
  "documents",
  "assessment",
] as const;

type SeededService = (typeof SEED_ORDER)[number];

export async function seedDemo(
  broker: ServiceBroker,
  reset: boolean,
  log: (line: string) => void,
  only: readonly SeededService[] = SEED_ORDER,
): Promise<void> {
  const services = SEED_ORDER.filter((s) => only.includes(s));
  await broker.waitForServices(services, 120_000);
  for (const svc of services) {
    const started = Date.now();
    // Untyped on purpose: the action name is computed per service, and each `demo.seed` answers its
    // own result shape, which this loop only logs (shared/contracts/actions.ts types fixed names).
    const result = await broker.call(
      `${svc}.demo.seed`,
      { reset },
      { meta: { system: true }, timeout: SEED_TIMEOUT_MS },
    );
    log(`  ${svc}: ${JSON.stringify(result)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

if (require.main === module) {
  const reset = process.argv.includes("--reset");
  const broker = new ServiceBroker(brokerOptions(config(), { nodeID: `seed-${process.pid}`, logLevel: "warn" }));
  broker
    .start()
    .then(async () => {
      console.log(reset ? "重置演示数据… / resetting demo data…" : "检查演示数据… / loading demo data if empty…");
      await seedDemo(broker, reset, (l) => console.log(l));
      await broker.stop();
    })
    .catch(async (err) => {
      console.error("演示数据加载失败 / demo data failed:", err);
      await broker.stop().catch(() => undefined);
      process.exit(1);
    });
}
