/**
 * The HTTP gateway: REST under /api (auto-aliased from each action's `rest`), one JSON error
 * shape, body limits, login rate limit, probes, and the OpenAPI document.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import path from "node:path";
import { Errors, type ActionSchema, type Context, type ServiceSchema } from "moleculer";
import expressStaticGzip from "express-static-gzip";
import ApiGateway, { type ApiSettingsSchema } from "moleculer-web";
import type { CallMeta } from "../shared/auth";
import { config } from "../shared/config";
import { UnauthorizedError } from "../shared/errors";
import { deadLetterCounts } from "../shared/dead-letters";
import { requestIp, takeIpAttempt } from "../shared/login-limits";
import { checkAuth } from "../shared/middlewares/authz";
import { redis } from "../shared/redis";
import { DB_SERVICES, GATEWAY_SERVICES, type ServiceName } from "../shared/services";
import { resolveAccessToken } from "../shared/sessions";
import { toErrorResponse } from "./errors";
import { cameOverTls, checkBodyShape, setSecurityHeaders } from "./guards";
import { FEED_ROOM, attachSocketIo, staffRoom, type SocketHub } from "./socket";
import { filesRoute } from "./uploads";
import { INBOX_CREATED_EVENT, type InboxItem } from "../shared/contracts/inbox";
import type { DomainEvent } from "../shared/events";

type Req = IncomingMessage & { $ctx?: Context<unknown, CallMeta>; $route?: unknown };

const TOKEN_MESSAGES = {
  TOKEN_INVALID: "登录凭证无效，请重新登录",
  TOKEN_EXPIRED: "登录凭证已过期",
  SESSION_EXPIRED: "长时间未操作，登录已过期，请重新登录",
} as const;

/** The client's address: X-Forwarded-For only from the proxies in TRUSTED_PROXIES (shared/login-limits.ts). */
function clientIp(req: IncomingMessage): string {
  return requestIp(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
}

function sendError(res: ServerResponse, err: unknown, logger?: { error(...a: unknown[]): void }): void {
  const { status, body } = toErrorResponse(err as object);
  if (status >= 500) logger?.error("request failed:", err);
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

const cfg = config();
const webRoot = path.resolve(cfg.webRoot); // relative to the working directory, the repo root
const indexHtml = path.join(webRoot, "index.html");

const apiRoute = {
  path: "/api",
  autoAliases: true,
  mappingPolicy: "restrict" as const,
  whitelist: [new RegExp(`^(${GATEWAY_SERVICES.join("|")})\\.`)],
  authentication: true,
  // Signed in and allowed before anything else: 401 and 403 come before a 400 or 422 (see authorize).
  authorization: true,
  bodyParsers: { json: { limit: cfg.bodyLimit, strict: false }, urlencoded: false },
  callOptions: { timeout: 30_000 },
  onBeforeCall(ctx: Context<unknown, CallMeta>, _route: unknown, req: Req) {
    ctx.meta.ip = clientIp(req);
    ctx.meta.requestId = randomUUID();
  },
  onError(this: { logger: { error(...a: unknown[]): void } }, _req: Req, res: ServerResponse, err: unknown) {
    sendError(res, err, this.logger);
  },
};

interface Vars {
  server: HttpServer;
  sockets?: SocketHub;
  /** When the services last changed: their routes are rebuilt shortly after (`debounceTime`). */
  servicesChangedAt: number;
}

const GatewayService: ServiceSchema<ApiSettingsSchema, object, Vars> = {
  name: "gateway",
  mixins: [ApiGateway],

  /** Settings */
  settings: {
    port: cfg.port,
    ip: "0.0.0.0",
    log4XXResponses: false,
    // How long after a service (re)appears its routes are rebuilt; until then its paths answer 503 (send404).
    debounceTime: 100,
    // The built web client; client-side routes fall back to index.html (see send404). Served by
    // express-static-gzip instead of plain serve-static (see `created`).
    assets: { folder: webRoot },
    logRequest: "debug",
    logRouteRegistration: "debug",
    logResponse: "debug",
    routes: [
      {
        path: "/api/accounts",
        aliases: { "POST /login": "accounts.login" },
        bodyParsers: { json: { limit: "8kb" }, urlencoded: false },
        authorization: true,
        /** Attempts per client IP and minute, counted in Redis across the gateway's replicas. */
        async onBeforeCall(ctx: Context<unknown, CallMeta>, route: unknown, req: Req, res: ServerResponse) {
          apiRoute.onBeforeCall(ctx, route, req);
          const taken = await takeIpAttempt(ctx.meta.ip!);
          if (taken.ok) return;
          res.setHeader("Retry-After", String(taken.retryAfterS));
          throw new Errors.MoleculerClientError("登录尝试过于频繁，请稍后再试", 429, "RATE_LIMITED");
        },
        onError: apiRoute.onError,
      },
      {
        // Twilio's delivery-status callbacks: form-encoded, no session; reminders checks the signature.
        path: "/api/sms",
        mappingPolicy: "restrict",
        aliases: { "POST /status": "reminders.sms.status" },
        whitelist: ["reminders.sms.status"],
        authentication: false,
        bodyParsers: { json: false, urlencoded: { extended: false, limit: "16kb" } },
        onBeforeCall(ctx: Context<unknown, CallMeta & { twilio?: object }>, _route: unknown, req: Req) {
          const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
          const header = req.headers["x-twilio-signature"];
          ctx.meta.ip = clientIp(req);
          ctx.meta.twilio = {
            signature: Array.isArray(header) ? header[0] : header,
            form: { ...((req as { body?: Record<string, string> }).body ?? {}) },
            query: url.includes("?") ? url.slice(url.indexOf("?") + 1) : "",
          };
        },
        onError: apiRoute.onError,
      },
      {
        path: "/api/openapi.json",
        aliases: { "GET /": "openapi.generateDocs" },
        onError: apiRoute.onError,
      },
      filesRoute(apiRoute),
      apiRoute,
      {
        path: "/",
        mappingPolicy: "restrict",
        aliases: { "GET /health": "gateway.health", "GET /ready": "gateway.ready" },
        onError: apiRoute.onError,
      },
    ],
    onError(_req: Req, res: ServerResponse, err: unknown) {
      sendError(res, err, this.logger);
    },
  },

  /** Actions */
  actions: {
    rest: { auth: "public" },
    listAliases: { auth: "internal" },
    health: {
      auth: "public",
      handler(): { status: "ok" } {
        return { status: "ok" };
      },
    },
    ready: {
      auth: "public",
      async handler(ctx: Context<unknown, CallMeta & { $statusCode?: number }>) {
        const checks: Record<string, boolean> = { nats: this.broker.transit?.connected ?? false };
        checks.redis = await redis()
          .ping()
          .then((r) => r === "PONG")
          .catch(() => false);
        await Promise.all(
          DB_SERVICES.map(async (svc) => {
            checks[svc] = await ctx
              .call<{ db: boolean }, object>(`${svc}.health`, {}, { meta: { system: true }, timeout: 3000 })
              .then((r) => r.db)
              .catch(() => false);
          }),
        );
        const ready = Object.values(checks).every(Boolean);
        if (!ready) ctx.meta.$statusCode = 503;
        // Shown, not judged: a dead letter waits for an administrator's replay, the platform is up.
        const deadLetters = await deadLetterCounts(this.broker).catch(() => null);
        return { status: ready ? "ready" : "not ready", checks, details: { deadLetters } };
      },
    },
  },

  /** Live pushes (plain events: fire-and-forget) */
  events: {
    // moleculer-web's own handler (merged with this one) rebuilds the routes.
    "$services.changed"() {
      this.servicesChangedAt = Date.now();
    },
    [INBOX_CREATED_EVENT](ctx: Context<InboxItem>) {
      this.sockets?.io.to(staffRoom(ctx.params.recipientStaffId)).emit("notification:new", ctx.params);
    },
  },

  /** Durable channels: one gateway replica receives each, the Redis adapter reaches every browser */
  channels: {
    "worklog.log.published": {
      group: "gateway",
      handler(event: DomainEvent<"worklog.log.published">) {
        const { logId, kind, authorStaffId, authorName, orgId, divisionId, date, publishedAt } = event.data;
        this.sockets?.io
          .to(FEED_ROOM)
          .emit("log:published", { logId, kind, authorStaffId, authorName, orgId, divisionId, date, publishedAt });
      },
    },
  },

  /** Methods */
  methods: {
    /**
     * Unknown API paths get the JSON 404, and the paths of a service that is down (its routes leave
     * with it) or has just come back (its routes are being rebuilt) a 503 to retry; any other GET is
     * a client-side route of the web app.
     */
    send404(req: IncomingMessage, res: ServerResponse) {
      // moleculer-web strips a matched route's prefix from req.url; originalUrl keeps it.
      const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "/";
      const service = /^\/api\/([^/?]+)/.exec(url)?.[1] as ServiceName | undefined;
      // (moleculer's typings want a node id; without one it asks whether any node has the service)
      const anyNodeHas = (name: string) =>
        (this.broker.registry as unknown as { hasService(n: string): boolean }).hasService(name);
      const routesPending = Date.now() - (this.servicesChangedAt ?? 0) < 1000;
      if (service && GATEWAY_SERVICES.includes(service) && (!anyNodeHas(service) || routesPending)) {
        res.setHeader("Retry-After", "5");
        sendError(res, { code: 503, type: "SERVICE_UNAVAILABLE", message: "服务暂时不可用，请稍后再试" });
        return;
      }
      if (req.method === "GET" && !url.startsWith("/api/") && fs.existsSync(indexHtml)) {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" });
        fs.createReadStream(indexHtml).pipe(res);
        return;
      }
      sendError(res, { code: 404, type: "NOT_FOUND", message: "未找到请求的资源" });
    },

    /**
     * Every answer carries the security headers (the web client's files and the print pages too).
     * moleculer-web created its server with this method, so it wraps the original.
     */
    httpHandler(req: IncomingMessage, res: ServerResponse, next?: () => void) {
      setSecurityHeaders(res, cameOverTls(req, false));
      return (ApiGateway.methods!.httpHandler as (...a: unknown[]) => unknown).call(this, req, res, next);
    },

    /**
     * The action's own `auth` rule, checked here too so that an anonymous caller gets 401 and a
     * caller without the role 403 before the service validates the params (422); then the body's
     * shape, so that a body nested thousands deep never reaches the transporter's serializer.
     * The service checks `auth` again: a call that does not come through here is guarded all the same.
     */
    authorize(
      ctx: Context<unknown, CallMeta>,
      _route: unknown,
      req: Req & { $action?: ActionSchema; $params?: unknown },
    ) {
      if (req.$action) checkAuth(req.$action, ctx.meta);
      checkBodyShape(req.$params, { maxDepth: cfg.bodyMaxDepth, maxKeys: cfg.bodyMaxKeys });
    },

    /** Resolves the bearer token to the signed-in user. No token: anonymous, and each action decides. */
    async authenticate(ctx: Context<unknown, CallMeta>, _route: unknown, req: IncomingMessage) {
      const header = req.headers.authorization;
      if (!header) return null;
      const m = /^Bearer (.+)$/.exec(header);
      if (!m) throw new UnauthorizedError(TOKEN_MESSAGES.TOKEN_INVALID, "TOKEN_INVALID");
      const r = await resolveAccessToken(m[1]);
      if ("error" in r) throw new UnauthorizedError(TOKEN_MESSAGES[r.error], r.error);
      ctx.meta.user = r.user;
      return r.user;
    },
  },

  /** Lifecycle */
  created() {
    // moleculer-web made `this.serve` with serve-static from `settings.assets`; this one also sends
    // the build's .br/.gz copy when the browser accepts it. Vite names files under /assets/ by their
    // content hash, so those are cached for a year; index.html is never cached (a new build shows).
    const serve = expressStaticGzip(webRoot, {
      enableBrotli: true,
      orderPreference: ["br", "gzip"],
      index: "index.html",
      serveStatic: {
        setHeaders: (res: ServerResponse, file: string) => {
          const hashed = file.startsWith(path.join(webRoot, "assets") + path.sep);
          res.setHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
        },
      },
    });
    // express-static-gzip looks files up by Express's `req.path`, which a plain Node request lacks.
    (this as unknown as { serve: typeof serve }).serve = (req: IncomingMessage & { path?: string }, res, next) => {
      req.path = new URL(req.url ?? "/", "http://x").pathname;
      return serve(req, res, next);
    };
  },

  started() {
    this.sockets = attachSocketIo(this.server);
  },

  async stopped() {
    await this.sockets?.close();
  },
};

export default GatewayService;
