/**
 * The live half of a session, in Redis: written by the accounts service, read by the gateway
 * on every request. Its TTL is the idle timeout, renewed on each use, so an idle session ends
 * by itself; logout and disabling an account delete it, so revocation takes effect at once.
 * The durable half (refresh token, revocation) lives in the accounts database.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuthUser } from "./auth";
import { config } from "./config";
import { redis } from "./redis";

interface LiveSession {
  user: AuthUser;
  accessHash: string;
  accessExpiresAt: number;
}

const key = (sessionId: string): string => `sess:${sessionId}`;
const idleSeconds = (): number => config().idleTimeoutMinutes * 60;

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** A token is `<sessionId>.<secret>`; only the secret's hash is stored. */
export function newToken(sessionId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${sessionId}.${secret}`, hash: sha256(secret) };
}

export function splitToken(token: string): { sessionId: string; secretHash: string } | null {
  const m = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{20,100})$/.exec(token);
  return m ? { sessionId: m[1], secretHash: sha256(m[2]) } : null;
}

const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function putLiveSession(user: AuthUser, accessHash: string): Promise<number> {
  const accessExpiresAt = Date.now() + config().accessTokenMinutes * 60_000;
  const live: LiveSession = { user, accessHash, accessExpiresAt };
  await redis().set(key(user.sessionId), JSON.stringify(live), "EX", idleSeconds());
  return accessExpiresAt;
}

/** Replaces the user a live session carries (its token and idle timeout stay). */
export async function setLiveUser(user: AuthUser): Promise<void> {
  const raw = await redis().get(key(user.sessionId));
  if (!raw) return;
  const live = JSON.parse(raw) as LiveSession;
  await redis().set(key(user.sessionId), JSON.stringify({ ...live, user }), "KEEPTTL");
}

export async function hasLiveSession(sessionId: string): Promise<boolean> {
  return (await redis().exists(key(sessionId))) === 1;
}

/**
 * The Redis pub/sub channel on which ended sessions are announced; every gateway replica listens
 * and disconnects the sockets of those sessions (gateway/socket.ts). Pub/sub channel names are not
 * key-prefixed, so the namespace is written out.
 */
export const sessionsEndedChannel = (): string => `${config().namespace}:sessions:ended`;

/** Ends sessions (logout, disable, role or password change): their tokens stop working, their sockets close. */
export async function dropLiveSessions(sessionIds: string[]): Promise<void> {
  if (!sessionIds.length) return;
  await redis().del(...sessionIds.map(key));
  await redis().publish(sessionsEndedChannel(), JSON.stringify(sessionIds));
}

export type Resolution = { user: AuthUser } | { error: "TOKEN_INVALID" | "SESSION_EXPIRED" | "TOKEN_EXPIRED" };

/** Resolves an access token to its user and renews the idle timeout. */
export async function resolveAccessToken(token: string): Promise<Resolution> {
  const parts = splitToken(token);
  if (!parts) return { error: "TOKEN_INVALID" };
  const [[, raw]] = (await redis()
    .multi()
    .get(key(parts.sessionId))
    .expire(key(parts.sessionId), idleSeconds())
    .exec()) as [[Error | null, string | null], unknown];
  if (!raw) return { error: "SESSION_EXPIRED" };
  const live = JSON.parse(raw) as LiveSession;
  if (!sameHash(live.accessHash, parts.secretHash)) return { error: "TOKEN_INVALID" };
  if (live.accessExpiresAt < Date.now()) return { error: "TOKEN_EXPIRED" };
  return { user: live.user };
}
