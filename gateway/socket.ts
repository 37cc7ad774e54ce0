/**
 * socket.io on the gateway's own HTTP server (moleculer-io does not support Moleculer 0.15),
 * with the Redis adapter so a push from any gateway replica reaches every browser.
 * Sockets authenticate with the same access token as REST and join their own rooms.
 */
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import Redis from "ioredis";
import { Server, type Socket } from "socket.io";
import type { AuthUser } from "../shared/auth";
import { config } from "../shared/config";
import { resolveAccessToken, sessionsEndedChannel } from "../shared/sessions";

export const staffRoom = (staffId: string): string => `staff:${staffId}`;
export const orgRoom = (orgId: string): string => `org:${orgId}`;
export const FEED_ROOM = "feed";
const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

type Ack = (res: { status: "OK" } | { status: "ERROR"; message: string }) => void;

export interface SocketHub {
  io: Server;
  close(): Promise<void>;
}

export function attachSocketIo(server: HttpServer): SocketHub {
  const pub = new Redis(config().redisUrl);
  const sub = pub.duplicate();
  // Sessions ended anywhere (shared/sessions.ts): this replica's sockets of them are closed.
  const ended = pub.duplicate();
  void ended.subscribe(sessionsEndedChannel());
  ended.on("message", (_channel: string, message: string) => {
    for (const id of JSON.parse(message) as string[]) io.local.in(sessionRoom(id)).disconnectSockets(true);
  });
  for (const c of [pub, sub, ended]) c.on("error", (err) => console.warn("socket.io redis adapter:", err.message));
  const io = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `${config().namespace}:socket.io` }),
  });

  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const r = typeof token === "string" ? await resolveAccessToken(token) : { error: "TOKEN_INVALID" as const };
    if ("error" in r) return next(new Error(r.error));
    socket.data.user = r.user;
    next();
  });

  io.on("connection", (socket: Socket) => {
    const user = socket.data.user as AuthUser;
    void socket.join(sessionRoom(user.sessionId));
    if (user.staffId) void socket.join(staffRoom(user.staffId));
    void socket.join(orgRoom(user.orgId));
    // The log square asks for new logs live only while it is open.
    socket.on("feed:subscribe", (ack?: Ack) => {
      void socket.join(FEED_ROOM);
      ack?.({ status: "OK" });
    });
    socket.on("feed:unsubscribe", (ack?: Ack) => {
      void socket.leave(FEED_ROOM);
      ack?.({ status: "OK" });
    });
  });

  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([pub.quit(), sub.quit(), ended.quit()]).catch(() => undefined);
    },
  };
}
