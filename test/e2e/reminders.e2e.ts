/**
 * Reminders in the browser: after a reminder run, an administrator finds the messages in the SMS log
 * (the count the API gives) and opens one with its status history; staff see neither the menu entry
 * nor the data (the server refuses it too).
 */
import type { Browser } from "playwright-core";
import type { SmsSearchResult } from "../../shared/contracts/reminders";
import { BASE_URL, apiGet, apiLogin, launch, login, newContext, shot } from "./support/browser";
import { runReminderTick } from "./support/platform";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("reminders", () => {
  test("when reminders have gone out, then an admin sees them in the SMS log with each message's status history", async () => {
    const { token } = await apiLogin("admin");
    const total = async () => (await apiGet<SmsSearchResult>(token, "/api/reminders/messages?limit=1")).total;
    await runReminderTick(async () => (await total()) > 0);
    const api = await apiGet<SmsSearchResult>(token, "/api/reminders/messages?limit=50");
    expect(api.total).toBeGreaterThan(0);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "admin", undefined, "/admin/sms");
    const rows = page.locator("[data-testid=sms-table] tbody tr.ant-table-row");
    await rows.first().waitFor({ timeout: 60_000 });
    await page.getByText(`共 ${api.total} 条`).waitFor();
    expect(await rows.first().innerText()).toContain(api.items[0].recipientName);
    await shot(page, "sms-log");

    await rows.first().click();
    const detail = page.getByTestId("sms-detail");
    await detail.waitFor();
    expect(await detail.innerText()).toContain(api.items[0].body);
    const history = page.getByTestId("sms-history-entry");
    expect(await history.count()).toBe(api.items[0].history.length);
    await shot(page, "sms-detail");
    await ctx.close();
  });

  test("when staff sign in, then the SMS log is neither offered nor served", async () => {
    const { token } = await apiLogin("staff");
    const res = await fetch(`${BASE_URL}/api/reminders/messages`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, "/reminders");
    await page.getByTestId("opt-out").waitFor({ timeout: 30_000 });
    expect(await page.getByRole("menuitem", { name: /短信记录|系统管理/ }).count()).toBe(0);
    await ctx.close();
  });
});
