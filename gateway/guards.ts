/**
 * What the gateway checks before a request reaches a service, and the headers every answer
 * carries. Pure functions, so each rule is unit-tested on its own.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Errors } from "moleculer";

export interface ShapeLimits {
  /** Deepest nesting of objects and arrays (the top-level body is depth 1). */
  maxDepth: number;
  /** Most keys and array items in the whole body. */
  maxKeys: number;
}

/** A body nested or sprawling past the limits (400, before any service spends time on it). */
export class BodyShapeError extends Errors.MoleculerClientError {
  constructor(message: string) {
    super(message, 400, "BODY_TOO_COMPLEX");
  }
}

/**
 * Walks the parsed body without recursion (a body nested thousands deep must not overflow this
 * check, as it overflowed the transporter's serializer) and throws a BodyShapeError past the limits.
 */
export function checkBodyShape(body: unknown, limits: ShapeLimits): void {
  const stack: [unknown, number][] = [[body, 1]];
  let keys = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > limits.maxDepth) throw new BodyShapeError(`请求体嵌套过深（最多 ${limits.maxDepth} 层）`);
    const children = Array.isArray(value) ? value : Object.values(value as object);
    keys += children.length;
    if (keys > limits.maxKeys) throw new BodyShapeError(`请求体字段过多（最多 ${limits.maxKeys} 个）`);
    for (const child of children) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
}

/** The print pages' one inline handler (`onclick="window.print()"`), allowed by its hash alone. */
const PRINT_HANDLER = `'sha256-${createHash("sha256").update("window.print()").digest("base64")}'`;

/**
 * No inline script (but the print button's handler, by hash); antd writes its styles at run time,
 * so inline styles are allowed; sockets connect back to this origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-hashes' ${PRINT_HANDLER}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Sets the security headers of every answer; HSTS only when the request came over TLS. */
export function setSecurityHeaders(res: ServerResponse, overTls: boolean): void {
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  if (overTls) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

/** True when the request reached us over TLS, directly or through a proxy we trust. */
export function cameOverTls(req: IncomingMessage, peerTrusted: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return (
    peerTrusted &&
    String(req.headers["x-forwarded-proto"] ?? "")
      .split(",")[0]
      .trim() === "https"
  );
}
