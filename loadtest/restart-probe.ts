/**
 * What users see while a service process crashes and the launcher restarts it: signs in as `hr`,
 * kills the service's process (SIGKILL, its pid from .data/run/service-<name>.pid of a platform
 * started with `npm start` from this checkout), then calls one of its routes every 200 ms for
 * SECONDS (40) and prints the answers in order (status, from when, how many) and a summary.
 *
 *   node_modules/.bin/node loadtest/restart-probe.ts assessment /api/assessment/schemes/2026
 *   node_modules/.bin/node loadtest/restart-probe.ts worklog /api/worklog/policies
 *
 * Env: BASE (http://127.0.0.1:3000). Only 127.0.0.1 is accepted.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve("package.json"));
const { client, loadavg, machine } = require("./loadtest/lib/bench.ts") as typeof import("./lib/bench");

const [service, route] = process.argv.slice(2);
if (!service || !route?.startsWith("/api/")) throw new Error("usage: restart-probe.ts <service> </api/route>");
const BASE = process.env.BASE ?? "http://127.0.0.1:3000";
const SECONDS = Number(process.env.SECONDS ?? 40);
const req = client(BASE, 20_000);

interface Answer {
  at: number;
  ms: number;
  status: string;
}

async function main(): Promise<void> {
  console.log(JSON.stringify({ ...machine(), base: BASE, service, route }));
  const token = (await req("POST", "/api/accounts/login", undefined, { username: "hr", password: "Mingbai@2026" })).json
    .accessToken as string;
  const pid = (JSON.parse(readFileSync(`.data/run/service-${service}.pid`, "utf8")) as { pid: number }).pid;
  process.kill(pid, "SIGKILL");
  const t0 = performance.now();
  const answers: Answer[] = [];
  const calls: Promise<void>[] = [];
  while (performance.now() - t0 < SECONDS * 1000) {
    const t = performance.now();
    calls.push(
      req("GET", route, token)
        .then((r) => String(r.status))
        .catch((err: Error) => err.name)
        .then((status) => void answers.push({ at: Math.round(t - t0), ms: Math.round(performance.now() - t), status })),
    );
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.all(calls);
  answers.sort((a, b) => a.at - b.at);
  /** Runs of the same answer: [status, from ms after the kill, how many]. */
  const runs: [string, number, number][] = [];
  for (const a of answers) {
    const last = runs[runs.length - 1];
    if (last?.[0] === a.status) last[2]++;
    else runs.push([a.status, a.at, 1]);
  }
  const back = answers.find((a) => a.status === "200");
  const after = back ? answers.filter((a) => a.at > back.at) : [];
  const down = back ? answers.filter((a) => a.at < back.at) : answers;
  const bad = (a: Answer) => a.status !== "200" || a.ms > 1000;
  console.log(JSON.stringify({ runs }));
  console.log(
    JSON.stringify({
      calls: answers.length,
      backAfterMs: back?.at ?? null,
      whileDown: { calls: down.length, slowestMs: Math.max(0, ...down.map((a) => a.ms)) },
      afterBack: { calls: after.length, failedOrOver1s: after.filter(bad).length },
      loadavgAfter: loadavg(),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
