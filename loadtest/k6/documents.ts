/**
 * Documents load for the bureau's own k6 (k6 ≥ 0.57 runs TypeScript): the 待办 list (issue 15) of
 * many different signed-in users at once. Target: p95 < 150 ms with the demo year of documents.
 *
 *   k6 run -e BASE=http://127.0.0.1:3310 -e VUS=50 loadtest/k6/documents.ts
 *
 * Here (no k6 binary) `K6_CHECK=1 loadtest/documents-bench.ts` runs the default function a few
 * times through a small shim, so the script is checked too.
 */
import http from "k6/http";
import { check } from "k6";
import type { Options } from "k6/options";

const BASE = __ENV.BASE || "http://127.0.0.1:3310";
const PASSWORD = __ENV.PASSWORD || "Mingbai@2026";
const VUS = Number(__ENV.VUS || 50);
const DURATION = __ENV.DURATION || "30s";

export const options: Options = {
  scenarios: { todo: { executor: "constant-vus", vus: VUS, duration: DURATION } },
  thresholds: { "http_req_duration{list:todo}": ["p(95)<150"], http_req_failed: ["rate==0"] },
};

interface Data {
  tokens: string[];
}

/** Logs in as VUS different demo staff members (every 30th: each division's head comes first). */
export function setup(): Data {
  const tokens: string[] = [];
  for (let i = 0; tokens.length < VUS && i < 3000; i += 30) {
    const username = `s-${String(i + 1).padStart(5, "0")}`;
    const r = http.post(`${BASE}/api/accounts/login`, JSON.stringify({ username, password: PASSWORD }), {
      headers: { "Content-Type": "application/json" },
    });
    if (r.status === 200) tokens.push(r.json("accessToken") as string);
  }
  return { tokens };
}

/** Each iteration reads one user's 待办 list. */
export default function (data: Data): void {
  const token = data.tokens[(__VU + __ITER) % data.tokens.length];
  const r = http.get(`${BASE}/api/documents/todo?limit=20`, {
    headers: { Authorization: `Bearer ${token}` },
    tags: { list: "todo" },
  });
  check(r, {
    "todo 200": (x) => x.status === 200,
    "todo is a page": (x) => Array.isArray(x.json("items")),
  });
}
