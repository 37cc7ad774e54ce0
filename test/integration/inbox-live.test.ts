/**
 * In-app notifications end to end: a durable `notification.requested` is stored once by the
 * inbox, pushed live through the gateway's socket.io to the recipient's browser, and read.
 */
import type { ServiceBroker } from "moleculer";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";
import { client } from "../support/http";

useTestNamespace();

const nodes: ServiceBroker[] = [];
let base: string;
let http: ReturnType<typeof client>;
const sockets: Socket[] = [];

async function signIn(username: string): Promise<{ token: string; staffId: string }> {
  const r = await http.post("/api/accounts/login", { username, password: "Mingbai@2026" });
  expect(r.status).toBe(200);
  return { token: r.body.accessToken, staffId: r.body.user.staffId };
}

function openSocket(token: string): Promise<Socket> {
  const s = connect(base, { path: "/socket.io", auth: { token }, transports: ["websocket"], reconnection: false });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

beforeAll(async () => {
  for (const name of ["personnel", "accounts", "inbox"] as const)
    nodes.push(await startNode(name, await schemas(name)));
  nodes.push(await startNode("gateway", await schemas("gateway")));
  const { seedDemo } = await import("../../services/seed");
  await seedDemo(nodes[0], false, () => undefined, ["personnel", "accounts"]);
  const gw = nodes[nodes.length - 1].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  base = `http://127.0.0.1:${gw.server.address().port}`;
  http = client(base);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const n of nodes.reverse()) await n.stop();
});

test("when a socket offers a bad token, then the connection is refused", async () => {
  await expect(openSocket("nope.nope")).rejects.toThrow("TOKEN_INVALID");
});

test("when a notification is requested for a person, then only their browser gets it live, once, and it is in their inbox", async () => {
  const { publish } = await import("../../shared/events");
  const head = await signIn("head");
  const other = await signIn("staff");
  const headSocket = await openSocket(head.token);
  const otherSocket = await openSocket(other.token);
  const seenByHead: unknown[] = [];
  const seenByOther: unknown[] = [];
  headSocket.on("notification:new", (n) => seenByHead.push(n));
  otherSocket.on("notification:new", (n) => seenByOther.push(n));

  const data = {
    recipientStaffId: head.staffId,
    kind: "worklog.mention",
    title: "王某在评论中提到了你",
    body: "请看一下这条日志",
    link: "/logs/x1",
  };
  const ev = await publish(nodes[0], "notification.requested", data);
  // At-least-once delivery: the same event again must not make a second item.
  await publish(nodes[0], "notification.requested", data, ev.id);

  await waitFor(
    () => seenByHead.length,
    (n) => n >= 1,
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(seenByHead).toEqual([expect.objectContaining({ id: ev.id, title: data.title, readAt: null })]);
  expect(seenByOther).toEqual([]);

  const inbox = await http.get("/api/inbox", head.token);
  expect(inbox.body.unread).toBe(1);
  expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([ev.id]);
  expect((await http.get("/api/inbox", other.token)).body).toEqual({ items: [], unread: 0 });

  // Someone else cannot mark it read, and learns nothing about it.
  const foreign = await http.post(`/api/inbox/${ev.id}/read`, {}, other.token);
  expect(foreign.status).toBe(404);
  const read = await http.post(`/api/inbox/${ev.id}/read`, {}, head.token);
  expect(read.body).toEqual({ unread: 0 });
  expect((await http.get("/api/inbox", head.token)).body.items[0].readAt).toEqual(expect.any(String));
});
