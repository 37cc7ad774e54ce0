/**
 * Browser helpers for the end-to-end suite: Debian's Chromium driven by playwright-core, against a
 * running platform with demo data (MINGBAI_E2E_URL, default http://127.0.0.1:3100).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const BASE_URL = (process.env.MINGBAI_E2E_URL ?? "http://127.0.0.1:3100").replace(/\/$/, "");
export const PASSWORD = "Mingbai@2026";
export const SHOTS = path.resolve(process.cwd(), "test/e2e/screenshots");

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export async function newContext(browser: Browser, mobile = false): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: BASE_URL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: mobile ? { width: 390, height: 844 } : { width: 1366, height: 860 },
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
  });
}

/** Signs in through the login form and waits for the page it lands on. */
export async function login(page: Page, username: string, password = PASSWORD, target = "/me"): Promise<void> {
  await page.goto(target === "/me" ? "/login" : `/login?from=${encodeURIComponent(target)}`);
  await page.getByPlaceholder("用户名或手机号").fill(username);
  await page.getByPlaceholder("密码").fill(password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.waitForURL((u) => u.pathname === target.split("?")[0], { timeout: 30_000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

/** Calls the REST API directly (for set-up and for checking values against what the page shows). */
export async function apiLogin(
  username: string,
  password = PASSWORD,
): Promise<{ token: string; user: { staffId: string; name: string; orgId: string } }> {
  const res = await fetch(`${BASE_URL}/api/accounts/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { accessToken: string; user: { staffId: string; name: string; orgId: string } };
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
  return { token: body.accessToken, user: body.user };
}

export async function apiGet<T>(token: string, p: string): Promise<T> {
  const res = await fetch(`${BASE_URL}${p}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** True when the page is wider than the viewport (horizontal scrolling). */
export async function overflowsX(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollWidth > window.innerWidth + 1");
}
