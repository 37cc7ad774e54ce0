/**
 * Sign-in limits, kept in Redis (rate-limiter-flexible) so that every gateway and accounts replica
 * counts the same attempts (ASVS 6.3.1):
 *
 * - per client IP: LOGIN_RATE_LIMIT attempts a minute, whatever the account (the gateway checks it);
 * - per account and IP: LOCKOUT_FAILURES wrong passwords in LOCKOUT_WINDOW_MINUTES lock the account
 *   *from that IP* for the window. Someone guessing `admin`'s password from elsewhere does not lock
 *   `admin` out of their own machine; a password reset ends the lock;
 * - per account, from any IP: LOGIN_ACCOUNT_SLOWDOWN_FAILURES wrong passwords in the window (a spread
 *   guessing) slow the account down: from IPs it has not signed in from before, one attempt a
 *   minute. IPs it signed in from in the last 30 days are not slowed.
 *
 * The client IP is the socket's peer, or the X-Forwarded-For address the proxies in TRUSTED_PROXIES
 * name (the nearest address no trusted proxy wrote), so that behind the Ingress each person has
 * their own budget and the audit log records their address, not the proxy's.
 */
import { BlockList, isIP } from "node:net";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "./config";
import { redis } from "./redis";

const KNOWN_IP_DAYS = 30;
const SLOWED_FOR_S = 60;

/** The trusted proxies of a comma-separated list of addresses and CIDR ranges (IPv4 or IPv6). */
export function trustedProxies(list: string): BlockList {
  const block = new BlockList();
  for (const raw of list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split("/");
    const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (bits !== undefined) block.addSubnet(addr, Number(bits), type);
    else block.addAddress(addr, type);
  }
  return block;
}

const plain = (ip: string): string => (ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);
const trusts = (proxies: BlockList, ip: string): boolean => {
  const v = isIP(ip);
  return v !== 0 && proxies.check(ip, v === 6 ? "ipv6" : "ipv4");
};

/**
 * The client's IP: the peer, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For address that is not a trusted proxy (the ones left of it could be forged).
 */
export function clientIp(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: BlockList,
): string {
  let ip = plain(peer ?? "unknown");
  if (!trusts(proxies, ip)) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => plain(s.trim()))
    .filter((s) => isIP(s) !== 0);
  while (hops.length) {
    ip = hops.pop()!;
    if (!trusts(proxies, ip)) return ip;
  }
  return ip;
}

let proxiesCache: BlockList | undefined;
/** The client IP of a request to this process's gateway, by the configured TRUSTED_PROXIES. */
export const requestIp = (peer: string | undefined, forwardedFor: string | string[] | undefined): string =>
  clientIp(peer, forwardedFor, (proxiesCache ??= trustedProxies(config().trustedProxies)));

interface Limiters {
  ip: RateLimiterRedis;
  accountIp: RateLimiterRedis;
  account: RateLimiterRedis;
}
let limiters: Limiters | undefined;
function rl(): Limiters {
  if (limiters) return limiters;
  const cfg = config();
  const window = cfg.lockoutWindowMinutes * 60;
  const storeClient = redis();
  limiters = {
    ip: new RateLimiterRedis({ storeClient, keyPrefix: "login:ip", points: cfg.loginRateLimit, duration: 60 }),
    accountIp: new RateLimiterRedis({
      storeClient,
      keyPrefix: "login:fail:account-ip",
      points: cfg.lockoutFailures,
      duration: window,
      blockDuration: window,
    }),
    account: new RateLimiterRedis({
      storeClient,
      keyPrefix: "login:fail:account",
      points: cfg.loginAccountSlowdownFailures,
      duration: window,
    }),
  };
  return limiters;
}

const knownKey = (account: string) => `login:known:${account}`;
const slowedKey = (account: string, ip: string) => `login:slowed:${account}:${ip}`;
const pairKey = (account: string, ip: string) => `${account}|${ip}`;

/** Counts one sign-in attempt from `ip`; false when the IP is over its budget for this minute. */
export async function takeIpAttempt(ip: string): Promise<{ ok: true } | { ok: false; retryAfterS: number }> {
  try {
    await rl().ip.consume(ip);
    return { ok: true };
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    return { ok: false, retryAfterS: Math.ceil(res.msBeforeNext / 1000) };
  }
}

export type LoginGate = { open: true } | { open: false; why: "locked" | "slowed"; retryAfterS: number };

/**
 * Whether `account` (an account id, or `user:<name>` for an unknown name) may try a password from
 * `ip` now. A lock set before the password last changed (an admin's reset) no longer holds.
 */
export async function loginGate(account: string, ip: string, passwordChangedAt?: Date): Promise<LoginGate> {
  const { accountIp } = rl();
  const pair = await accountIp.get(pairKey(account, ip));
  if (pair && pair.consumedPoints > config().lockoutFailures) {
    const lockedAt = Date.now() - (config().lockoutWindowMinutes * 60_000 - pair.msBeforeNext);
    if (passwordChangedAt && lockedAt < passwordChangedAt.getTime()) await accountIp.delete(pairKey(account, ip));
    else return { open: false, why: "locked", retryAfterS: Math.ceil(pair.msBeforeNext / 1000) };
  }
  const slowedMs = await redis().pttl(slowedKey(account, ip));
  if (slowedMs > 0) return { open: false, why: "slowed", retryAfterS: Math.ceil(slowedMs / 1000) };
  return { open: true };
}

/** Counts a wrong password; returns true when it locks the account from this IP. */
export async function loginFailed(account: string, ip: string): Promise<boolean> {
  const { accountIp, account: perAccount } = rl();
  const pair = await accountIp.penalty(pairKey(account, ip));
  if (pair.consumedPoints > config().lockoutFailures) return true;
  if (pair.consumedPoints === config().lockoutFailures) {
    // The N-th failure locks: block for the window (penalty alone does not block).
    await accountIp.block(pairKey(account, ip), config().lockoutWindowMinutes * 60);
    return true;
  }
  const spread = await perAccount.penalty(account);
  if (spread.consumedPoints >= config().loginAccountSlowdownFailures) {
    const known = await redis().sismember(knownKey(account), ip);
    if (!known) await redis().set(slowedKey(account, ip), "1", "EX", SLOWED_FOR_S);
  }
  return false;
}

/** A sign-in succeeded: this IP's failures are forgotten, and it is a known IP of the account. */
export async function loginSucceeded(account: string, ip: string): Promise<void> {
  await rl().accountIp.delete(pairKey(account, ip));
  await redis().sadd(knownKey(account), ip);
  await redis().expire(knownKey(account), KNOWN_IP_DAYS * 86_400);
}
