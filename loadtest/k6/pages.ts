/**
 * Pages load for the bureau's own k6 (k6 ≥ 0.57 runs TypeScript): the person, division and
 * organisation pages (issue 4), each request for another person, division or organisation and as
 * one of several roles, through the gateway. Target: p95 < 150 ms for each page.
 *
 *   k6 run -e BASE=http://127.0.0.1:3206 loadtest/k6/pages.ts
 *
 * Here (no k6 binary) `K6_CHECK=1 loadtest/pages-bench.ts` runs the default function a few times
 * through a small shim, so the script is checked too.
 */
import http from "k6/http";
import { check } from "k6";
import type { Options } from "k6/options";

const BASE = __ENV.BASE || "http://127.0.0.1:3206";
const PASSWORD = __ENV.PASSWORD || "Mingbai@2026";
const VUS = Number(__ENV.VUS || 10);
const DURATION = __ENV.DURATION || "30s";

export const options: Options = {
  scenarios: {
    pages: { executor: "constant-vus", vus: VUS, duration: DURATION },
  },
  thresholds: {
    "http_req_duration{page:person}": ["p(95)<150"],
    "http_req_duration{page:division}": ["p(95)<150"],
    "http_req_duration{page:org}": ["p(95)<150"],
    http_req_failed: ["rate==0"],
  },
};

interface Data {
  tokens: string[];
  staff: string[];
  divisions: string[];
  orgs: string[];
}

/** Logs in as the demo role accounts and lists the staff, divisions and organisations to visit. */
export function setup(): Data {
  const tokens: string[] = [];
  for (const username of ["hr", "leader", "head", "staff", "county", "admin"]) {
    const r = http.post(`${BASE}/api/accounts/login`, JSON.stringify({ username, password: PASSWORD }), {
      headers: { "Content-Type": "application/json" },
    });
    if (r.status === 200) tokens.push(r.json("accessToken") as string);
  }
  const auth = { headers: { Authorization: `Bearer ${tokens[0]}` } };
  const orgs = http.get(`${BASE}/api/personnel/orgs`, auth).json() as { id: string; divisions: { id: string }[] }[];
  const total = http.get(`${BASE}/api/personnel/staff?limit=1`, auth).json("total") as number;
  return {
    tokens,
    staff: Array.from({ length: total }, (_, i) => `s-${String(i + 1).padStart(5, "0")}`),
    divisions: orgs.flatMap((o) => o.divisions.map((d) => d.id)),
    orgs: orgs.map((o) => o.id),
  };
}

/** Each iteration opens one page, rotating person → division → organisation, with varied ids and roles. */
export default function (data: Data): void {
  const n = __ITER * 131 + __VU * 7919;
  const token = data.tokens[n % data.tokens.length];
  const params = (page: string) => ({ headers: { Authorization: `Bearer ${token}` }, tags: { page } });
  const kind = __ITER % 3;
  if (kind === 0) {
    const id = data.staff[n % data.staff.length];
    const r = http.get(`${BASE}/api/pages/person/${id}`, params("person"));
    check(r, {
      "person 200": (x) => x.status === 200,
      "person has profile and plans": (x) => x.json("profile.id") === id && x.json("plans") !== null,
    });
  } else if (kind === 1) {
    const id = data.divisions[n % data.divisions.length];
    const r = http.get(`${BASE}/api/pages/division/${id}`, params("division"));
    check(r, {
      "division 200": (x) => x.status === 200,
      "division has members": (x) => x.json("division.id") === id && x.json("members") !== null,
    });
  } else {
    const id = data.orgs[n % data.orgs.length];
    const r = http.get(`${BASE}/api/pages/org/${id}`, params("org"));
    check(r, {
      "org 200": (x) => x.status === 200,
      "org lists divisions": (x) => x.json("org.id") === id && (x.json("divisions") as unknown[]).length > 0,
    });
  }
}
