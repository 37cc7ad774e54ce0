/**
 * `meta.system` (a trusted job: seeders, cron, one service reading another's directory) is honoured
 * only when the call proves it comes from one of our services: the caller's broker adds
 * `meta.$systemProof`, an HMAC with the service secret (MINGBAI_SERVICE_SECRET) over the action's
 * name and the time, and the callee's authz middleware checks it. A message written straight onto
 * the bus with `system: true` and no valid proof is refused (403). The proof is bound to one action
 * and holds for PROOF_TTL_MS, so one seen on the bus cannot be used for another action or later.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { config } from "./config";

const PROOF_TTL_MS = 120_000;

const mac = (secret: string, action: string, ts: string): string =>
  createHmac("sha256", secret).update(`${action}\n${ts}`).digest("base64url");

/** The proof for a system call of `action`, made now. */
export function systemProof(action: string, now = Date.now(), secret = config().serviceSecret): string {
  const ts = String(now);
  return `${ts}.${mac(secret, action, ts)}`;
}

/** Whether `proof` was made with the service secret for `action`, within PROOF_TTL_MS of `now`. */
export function provesSystem(
  proof: unknown,
  action: string,
  now = Date.now(),
  secret = config().serviceSecret,
): boolean {
  if (typeof proof !== "string") return false;
  const dot = proof.indexOf(".");
  const ts = proof.slice(0, dot);
  if (dot < 1 || !/^\d{1,16}$/.test(ts) || Math.abs(now - Number(ts)) > PROOF_TTL_MS) return false;
  const want = Buffer.from(mac(secret, action, ts));
  const got = Buffer.from(proof.slice(dot + 1));
  return got.length === want.length && timingSafeEqual(got, want);
}
