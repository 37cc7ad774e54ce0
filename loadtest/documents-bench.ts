/**
 * Documents benchmark driver (issue 15), on a running platform with the demo year of documents:
 * the 待办 list of 50 different signed-in users at once (target p95 < 150 ms), then one outgoing
 * document walked through its flow and issued to all 20 other organisations (target < 1 s for the
 * issue, which takes the 文号 and creates 20 收文, each with its 签收 task resolved).
 *
 *   node_modules/.bin/node loadtest/documents-bench.ts     (Node 24 runs TypeScript by stripping types)
 *
 * Env: BASE (http://127.0.0.1:3310), DURATION seconds (20), USERS concurrent users (50), TIMEOUT_MS (10000),
 * K6_CHECK=1 to also run loadtest/k6/documents.ts once through a curl shim. Only 127.0.0.1 is accepted.
 */
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve("package.json"));
const { checker, client, curl, k6Script, load, loadavg, machine } =
  require("./loadtest/lib/bench.ts") as typeof import("./lib/bench");

const BASE = process.env.BASE ?? "http://127.0.0.1:3310";
const DURATION = Number(process.env.DURATION ?? 20) * 1000;
const USERS = Number(process.env.USERS ?? 50);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10_000);
const PASSWORD = "Mingbai@2026";

const http = client(BASE, TIMEOUT_MS);
const show = (s: object) => console.log(JSON.stringify(s));

async function login(username: string): Promise<string> {
  const r = await http("POST", "/api/accounts/login", undefined, { username, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return r.json.accessToken as string;
}

interface Doc {
  id: string;
  stage: string;
  step: number;
  number: string | null;
  steps: { name: string }[];
  tasks: { assigneeId: string; status: string; step: number }[];
}

/** Acts on the current step as its assignee (found from the document), until the flow ends. */
async function walk(id: string, token: string): Promise<Doc> {
  for (let i = 0; i < 10; i++) {
    const doc = (await http("GET", `/api/documents/items/${id}`, token)).json as Doc;
    const task = doc.tasks.find((t) => t.status === "open");
    if (!task || doc.stage === "signed") return doc;
    const theirs = await login(task.assigneeId);
    const r = await http("POST", `/api/documents/items/${id}/act`, theirs, { opinion: "同意" });
    if (r.status !== 200) throw new Error(`act ${doc.steps[doc.step]?.name}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  throw new Error("flow did not end");
}

function runK6Once(tokens: string[]): string {
  const script = k6Script(path.resolve("loadtest", "k6", "documents.ts"), ["http", "check", "__ENV", "__ITER", "__VU"]);
  const checks: string[] = [];
  const get = (url: string, params?: { headers?: Record<string, string> }) => curl("GET", url, null, params);
  for (let iter = 0; iter < 3; iter++) script({ get }, checker(checks), { BASE }, iter, 1).main({ tokens });
  return checks.join(", ");
}

async function main(): Promise<void> {
  show({ ...machine(), base: BASE, users: USERS, durationS: DURATION / 1000 });
  // 50 different people: every 30th demo staff member (the first of a division is its head, with the most to do).
  const tokens: string[] = [];
  for (let i = 0; tokens.length < USERS && i < 3000; i += 30) {
    const t = await login(`s-${String(i + 1).padStart(5, "0")}`).catch(() => null);
    if (t) tokens.push(t);
  }
  const sizes = await Promise.all(
    tokens.map(async (t) => (await http("GET", "/api/documents/todo?limit=20", t)).json.total as number),
  );
  show({
    users: tokens.length,
    todoTotals: { min: Math.min(...sizes), max: Math.max(...sizes), sum: sizes.reduce((a, b) => a + b, 0) },
  });
  show(
    await load(`待办 list, ${tokens.length} users at once`, tokens.length, DURATION, async (i) => {
      const r = await http("GET", "/api/documents/todo?limit=20", tokens[i % tokens.length]);
      return r.status === 200;
    }),
  );
  show(
    await load(`已办 list, ${tokens.length} users at once`, tokens.length, DURATION / 2, async (i) => {
      const r = await http("GET", "/api/documents/done?limit=20", tokens[i % tokens.length]);
      return r.status === 200;
    }),
  );

  // Issue to all 21 organisations (the city's document, to the 20 others).
  const staff = await login("staff");
  const orgs = (await http("GET", "/api/personnel/orgs", staff)).json as { id: string }[];
  const draft = await http("POST", "/api/documents/items", staff, {
    kind: "outgoing",
    title: `关于做好年度决算工作的通知（压测${Date.now() % 100000}）`,
    docType: "通知",
    urgency: "平件",
    secrecy: "内部",
    body: "<p>各县区财政局：</p><p>请按时报送年度决算。</p>",
  });
  if (draft.status !== 200) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.json)}`);
  const id = draft.json.id as string;
  await http("POST", `/api/documents/items/${id}/act`, staff, {});
  const signed = await walk(id, staff);
  const officeHead = signed.tasks.find((t) => t.step === 3 && t.status === "done")!.assigneeId;
  const office = await login(officeHead);
  const recipients = orgs.filter((o) => o.id !== "city").map((o) => ({ type: "org", id: o.id }));
  const t = performance.now();
  const issued = await http("POST", `/api/documents/items/${id}/issue`, office, { recipients });
  show({
    name: `issue to ${recipients.length} organisations`,
    status: issued.status,
    number: issued.json.number,
    ms: Math.round(performance.now() - t),
  });

  if (process.env.K6_CHECK === "1") show({ k6: runK6Once(tokens.slice(0, 5)) });
  show({ loadavgAfter: loadavg() });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
