/**
 * Assessment load for the bureau's own k6 (k6 ≥ 0.57 runs TypeScript), through the gateway:
 * the one-click whole-bureau summary as HR clicks "生成汇总表" (the web client fires the county
 * table, the .xlsx and the print page at once), the county ranking and a person's breakdown as many
 * staff read them at once, and a learning-platform push.
 * Checked here without k6: `K6_CHECK=1 … loadtest/assessment-bench.ts --gateway` runs each scenario
 * once through a curl shim; `tsc` type-checks it against @types/k6.
 *
 *   k6 run -e BASE=http://127.0.0.1:3200 -e SCENARIO=export loadtest/k6/assessment.ts
 *
 * SCENARIO: export | read | push. The "export" threshold is the target: the whole-bureau
 * summary from click to file in under a second.
 */
import http from "k6/http";
import { check } from "k6";
import type { Options } from "k6/options";

const BASE = __ENV.BASE || "http://127.0.0.1:3200";
const SCENARIO = __ENV.SCENARIO || "export";
const PASSWORD = __ENV.PASSWORD || "Mingbai@2026";
const USERS = Number(__ENV.USERS || 20);
const YEAR = Number(__ENV.YEAR || new Date(Date.now() + 8 * 3600_000).getUTCFullYear());

export const options: Options = {
  scenarios: {
    load:
      SCENARIO === "export"
        ? { executor: "shared-iterations", vus: 1, iterations: 10 }
        : SCENARIO === "push"
          ? { executor: "constant-arrival-rate", rate: 20, timeUnit: "1s", duration: "15s", preAllocatedVUs: 20 }
          : { executor: "constant-vus", vus: 50, duration: __ENV.DURATION || "15s" },
  },
  thresholds:
    SCENARIO === "export"
      ? { http_req_duration: ["p(95)<1000"], http_req_failed: ["rate==0"] }
      : { http_req_duration: ["p(95)<300"], http_req_failed: ["rate==0"] },
};

function login(username: string): string {
  const r = http.post(`${BASE}/api/accounts/login`, JSON.stringify({ username, password: PASSWORD }), {
    headers: { "Content-Type": "application/json" },
  });
  return r.status === 200 ? (r.json("accessToken") as string) : "";
}

/** HR (the exporter and pusher) and staff s-00001 … (the readers). */
export function setup(): { hr: string; staff: { token: string; id: string }[] } {
  const staff = Array.from({ length: USERS }, (_, i) => `s-${String(i + 1).padStart(5, "0")}`)
    .map((id) => ({ id, token: login(id) }))
    .filter((s) => s.token);
  return { hr: login("hr"), staff };
}

export default function (data: { hr: string; staff: { token: string; id: string }[] }): void {
  const auth = (token: string) => ({
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  });
  if (SCENARIO === "export") {
    const q = `year=${YEAR}&table=bureau`;
    const [table, file, print] = http.batch([
      ["GET", `${BASE}/api/assessment/summary/counties?year=${YEAR}`, null, auth(data.hr)],
      ["GET", `${BASE}/api/assessment/exports/summary?${q}`, null, { ...auth(data.hr), responseType: "binary" }],
      ["GET", `${BASE}/api/assessment/print/summary?${q}`, null, auth(data.hr)],
    ]);
    check(table, { "table 200": (x) => x.status === 200 });
    check(file, {
      "export 200": (x) => x.status === 200,
      "is xlsx": (x) => String(x.headers["Content-Type"]).includes("spreadsheetml"),
    });
    check(print, {
      "print 200": (x) => x.status === 200,
      "is html": (x) => String(x.headers["Content-Type"]).includes("text/html"),
    });
  } else if (SCENARIO === "push") {
    const id = `k6-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const body = {
      records: [{ recordId: id, staffId: "s-00001", date: `${YEAR}-03-02`, hours: 1, course: "压力测试课程" }],
    };
    const r = http.post(`${BASE}/api/assessment/learning/records`, JSON.stringify(body), auth(data.hr));
    check(r, { "push 200": (x) => x.status === 200 && x.json("created") === 1 });
  } else {
    const me = data.staff[Math.floor(Math.random() * data.staff.length)];
    const counties = http.get(`${BASE}/api/assessment/summary/counties?year=${YEAR}`, auth(me.token));
    check(counties, {
      "counties 200": (x) => x.status === 200,
      "20 counties": (x) => (x.json() as unknown[]).length === 20,
    });
    const own = http.get(`${BASE}/api/assessment/breakdown/${me.id}?year=${YEAR}`, auth(me.token));
    check(own, { "breakdown 200": (x) => x.status === 200, "own is full": (x) => x.json("full") === true });
  }
}
