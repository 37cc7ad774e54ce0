/**
 * Browser helpers for the end-to-end suite: Debian's Chromium driven by playwright-core, against a
 * running platform with demo data (MINGBAI_E2E_URL, default http://127.0.0.1:3100).
 *
 * Waiting: every wait here is on something the page shows (Playwright's auto-waiting locators) or a
 * condition polled until it holds (`eventually`); there are no fixed sleeps. Timeouts are generous
 * because the first page after the platform starts, and any page on a loaded 2-core machine, can take
 * tens of seconds; a test that passes never waits for them.
 */
import fs from "node:fs";
import path from "node:path";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response as PwResponse,
} from "playwright-core";

export const BASE_URL = (process.env.MINGBAI_E2E_URL ?? "http://127.0.0.1:3100").replace(/\/$/, "");
export const PASSWORD = "Mingbai@2026";
export const SHOTS = path.resolve(process.cwd(), "test/e2e/screenshots");

/** How long a locator or an `eventually` waits by default, and how long a navigation may take. */
export const WAIT_MS = Number(process.env.MINGBAI_E2E_WAIT_MS ?? 60_000);
const NAV_MS = 2 * WAIT_MS;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A fresh browser profile (empty cache and storage) as the platform's users have it: zh-CN, Asia/Shanghai. */
export async function newContext(browser: Browser, mobile = false): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL: BASE_URL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: mobile ? { width: 390, height: 844 } : { width: 1366, height: 860 },
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    // The client turns chart and list animations off for users who ask, so screenshots show final frames.
    reducedMotion: "reduce",
    acceptDownloads: true,
  });
  ctx.setDefaultTimeout(WAIT_MS);
  ctx.setDefaultNavigationTimeout(NAV_MS);
  return ctx;
}

/**
 * Retries `check` (usually a block of `expect`s) until it passes or `timeout` runs out, then throws its
 * last error: the polling form of an assertion, for values the page or the server settle on later.
 */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeout = WAIT_MS, interval = 250 }: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** Waits until the locator shows text that `want` matches, and returns that text. */
export async function textOf(locator: Locator, want?: RegExp | string): Promise<string> {
  return eventually(async () => {
    const t = await locator.innerText();
    if (want !== undefined && !(typeof want === "string" ? t.includes(want) : want.test(t)))
      throw new Error(`expected ${String(want)} in ${JSON.stringify(t.slice(0, 300))}`);
    return t;
  });
}

/** Milliseconds until the gateway's login rate-limit window resets (from its X-Rate-Limit-Reset header). */
function resetIn(headers: Record<string, string>): number {
  const at = Number(headers["x-rate-limit-reset"]);
  return Math.min(Math.max((Number.isFinite(at) ? at - Date.now() : 10_000) + 500, 500), 61_000);
}

/**
 * Fills the login form and submits it; returns the server's answer. The gateway allows a limited
 * number of sign-ins per minute per client IP and the whole suite comes from one IP; when it answers
 * 429, this waits for the window to reset (the header says when) and submits again.
 */
export async function submitLogin(page: Page, username: string, password = PASSWORD): Promise<PwResponse> {
  for (let attempt = 0; ; attempt++) {
    await page.getByPlaceholder("用户名或手机号").fill(username);
    await page.getByPlaceholder("密码").fill(password);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/accounts/login") && r.request().method() === "POST"),
      page.getByRole("button", { name: /登\s*录/ }).click(),
    ]);
    if (res.status() !== 429 || attempt >= 3) return res;
    await new Promise((r) => setTimeout(r, resetIn(res.headers())));
  }
}

/** Signs in through the login form and waits for the page it lands on. */
export async function login(page: Page, username: string, password = PASSWORD, target = "/me"): Promise<void> {
  await page.goto(target === "/me" ? "/login" : `/login?from=${encodeURIComponent(target)}`);
  const res = await submitLogin(page, username, password);
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  await page.waitForURL((u) => u.pathname === target.split("?")[0], { timeout: NAV_MS });
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

/** The POST /api/accounts/login answer, waiting out the login rate limit like `login`. */
export async function loginRequest(username: string, password = PASSWORD): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${BASE_URL}/api/accounts/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 429 || attempt >= 3) return res;
    await new Promise((r) => setTimeout(r, resetIn(Object.fromEntries(res.headers))));
  }
}

/** Calls the REST API directly (for set-up and for checking values against what the page shows). */
export async function apiLogin(
  username: string,
  password = PASSWORD,
): Promise<{ token: string; user: { staffId: string; name: string; orgId: string; divisionId: string | null } }> {
  const res = await loginRequest(username, password);
  const body = (await res.json()) as {
    accessToken: string;
    user: { staffId: string; name: string; orgId: string; divisionId: string | null };
  };
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
  return { token: body.accessToken, user: body.user };
}

export async function apiGet<T>(token: string, p: string): Promise<T> {
  const res = await fetch(`${BASE_URL}${p}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Sends a request and returns only the HTTP status (for "the server refuses it" checks). */
export async function apiStatus(token: string, method: string, p: string, body?: unknown): Promise<number> {
  const res = await fetch(`${BASE_URL}${p}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  await res.arrayBuffer();
  return res.status;
}

export async function apiSend<T>(token: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BASE_URL}${p}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** True when the page is wider than the viewport (horizontal scrolling). */
export async function overflowsX(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollWidth > window.innerWidth + 1");
}

/**
 * Holds the requests matching `url` until `release()` is called, so a test can look at the page while
 * they are in flight (loading states, progress), then lets them go to the real server.
 */
export async function holdRequests(
  page: Page,
  url: string | RegExp,
): Promise<{ seen: Promise<void>; release: () => Promise<void> }> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let saw!: () => void;
  const seen = new Promise<void>((r) => (saw = r));
  const handler = async (route: import("playwright-core").Route) => {
    saw();
    await gate;
    await route.continue().catch(() => {}); // the page may have gone meanwhile
  };
  await page.route(url, handler);
  return {
    seen,
    release: async () => {
      open();
      await page.unroute(url, handler);
    },
  };
}
