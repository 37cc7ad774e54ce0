/** One ioredis connection per process, with keys prefixed by the namespace. */
import Redis from "ioredis";
import { config } from "./config";

let client: Redis | undefined;

export function redis(): Redis {
  client ??= new Redis(config().redisUrl, {
    keyPrefix: `${config().namespace}:`,
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  });
  return client;
}

export async function closeRedis(): Promise<void> {
  if (!client) return;
  const c = client;
  client = undefined;
  await c.quit().catch(() => c.disconnect());
}
