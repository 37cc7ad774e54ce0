/**
 * Worklog load for the bureau's own k6 (k6 ≥ 0.57 runs TypeScript): feed and keyword search at 50
 * concurrent readers, publishing, and the monthly compliance report, all through the gateway.
 *
 *   k6 run -e BASE=http://127.0.0.1:3200 -e SCENARIO=feed loadtest/k6/worklog.ts
 *
 * SCENARIO: feed | search | publish | compliance. Here (no k6 binary) `loadtest/run.ts` executes
 * each scenario's iteration once through a small shim, so the script is checked too.
 */
import http from "k6/http";
import { check } from "k6";
import type { Options } from "k6/options";

const BASE = __ENV.BASE || "http://127.0.0.1:3200";
const SCENARIO = __ENV.SCENARIO || "feed";
const PASSWORD = __ENV.PASSWORD || "Mingbai@2026";
const USERS = Number(__ENV.USERS || 20);

export const options: Options = {
  scenarios: {
    load:
      SCENARIO === "publish"
        ? {
            executor: "constant-arrival-rate",
            rate: Number(__ENV.RATE || 200),
            timeUnit: "1s",
            duration: __ENV.DURATION || "15s",
            preAllocatedVUs: 60,
          }
        : SCENARIO === "compliance"
          ? { executor: "shared-iterations", vus: 1, iterations: 10 }
          : { executor: "constant-vus", vus: 50, duration: __ENV.DURATION || "15s" },
  },
  thresholds:
    SCENARIO === "compliance"
      ? { http_req_duration: ["p(95)<500"] }
      : SCENARIO === "publish"
        ? { http_req_duration: ["p(95)<100"], http_req_failed: ["rate==0"] }
        : { http_req_duration: ["p(95)<150"] },
};

/** Logs in as "staff" and as staff ids s-00001 … (the demo logins), once per test run. */
export function setup(): { tokens: string[] } {
  const names = ["staff", ...Array.from({ length: USERS - 1 }, (_, i) => `s-${String(i + 1).padStart(5, "0")}`)];
  const tokens: string[] = [];
  for (const username of names) {
    const r = http.post(`${BASE}/api/accounts/login`, JSON.stringify({ username, password: PASSWORD }), {
      headers: { "Content-Type": "application/json" },
    });
    const token = r.status === 200 ? (r.json("accessToken") as string) : "";
    if (token) tokens.push(token);
  }
  return { tokens };
}

/** Last full calendar month, as from/to dates. */
function lastMonth(): { from: string; to: string } {
  const now = new Date(Date.now() + 8 * 3600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

export default function (data: { tokens: string[] }): void {
  const token = data.tokens[Math.floor(Math.random() * data.tokens.length)];
  const params = { headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } };
  if (SCENARIO === "feed") {
    const r = http.get(`${BASE}/api/worklog/logs?limit=20`, params);
    check(r, {
      "feed 200": (x) => x.status === 200,
      "feed has items": (x) => (x.json("items") as unknown[]).length > 0,
    });
  } else if (SCENARIO === "search") {
    const r = http.get(`${BASE}/api/worklog/search?q=${encodeURIComponent("预算")}`, params);
    check(r, { "search 200": (x) => x.status === 200, "search finds": (x) => (x.json("total") as number) > 0 });
  } else if (SCENARIO === "publish") {
    const body = {
      done: `压力测试：完成预算执行情况分析 ${Math.random().toString(36).slice(2)}`,
      thoughts: "体会：日清日结。",
    };
    const r = http.post(`${BASE}/api/worklog/logs`, JSON.stringify(body), params);
    check(r, { "publish 200": (x) => x.status === 200 });
  } else {
    const { from, to } = lastMonth();
    const r = http.get(`${BASE}/api/worklog/compliance?from=${from}&to=${to}`, params);
    check(r, {
      "compliance 200": (x) => x.status === 200,
      "21 orgs": (x) => (x.json("orgs") as unknown[]).length === 21,
    });
  }
}
