/** Redis locks shared by replicas: one holder at a time, released only by its holder. */
import { randomUUID } from "node:crypto";
import { redis } from "./redis";

/** Compare-and-delete, so a lock is only released by its holder. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` holding `key` for at most `ms`; "busy" (without running it) when someone else holds it. */
export async function withLock<T>(key: string, ms: number, fn: () => Promise<T>): Promise<T | "busy"> {
  const token = randomUUID();
  if ((await redis().set(key, token, "PX", ms, "NX")) !== "OK") return "busy";
  try {
    return await fn();
  } finally {
    await redis()
      .eval(RELEASE, 1, key, token)
      .catch(() => undefined);
  }
}

/** Like `withLock`, but waits (polling every few milliseconds) until the lock is free. */
export async function withLockWait<T>(key: string, ms: number, fn: () => Promise<T>): Promise<T> {
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    const r = await withLock(key, ms, async () => ({ value: await fn() }));
    if (r !== "busy") return r.value;
    await sleep(wait);
  }
}
