/**
 * Reminders in the browser: after a reminder run, an administrator finds the messages in the SMS log
 * (the count the API gives) and opens one with its status history; staff see neither the menu entry
 * nor the data (the server refuses it too).
 */
import type { Browser } from "playwright-core";
import type { SmsSearchResult } from "../../shared/contracts/reminders";
import { BASE_URL, apiGet, apiLogin, eventually, launch, login, newContext, shot, textOf } from "./support/browser";
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
    expect(await total()).toBeGreaterThan(0);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "admin", undefined, "/admin/sms");
    const rows = page.locator("[data-testid=sms-table] tbody tr.ant-table-row");
    await rows.first().waitFor();
    // The platform's own reminder schedule may add messages meanwhile: the page and the API must agree
    // on the total and the newest message as of the same moment.
    const newest = await eventually(async () => {
      const now = await apiGet<SmsSearchResult>(token, "/api/reminders/messages?limit=50");
      try {
        await page.getByText(`共 ${now.total} 条`).waitFor({ timeout: 5_000 });
        expect(await rows.first().innerText()).toContain(now.items[0].recipientName);
      } catch (err) {
        await page.reload(); // new messages came in after the page loaded
        await rows.first().waitFor();
        throw err;
      }
      return now.items[0];
    });
    await shot(page, "sms-log");

    await rows.first().click();
    const detail = page.getByTestId("sms-detail");
    await textOf(detail, newest.body);
    const history = page.getByTestId("sms-history-entry");
    await eventually(async () => expect(await history.count()).toBe(newest.history.length));
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
    await page.getByTestId("opt-out").waitFor();
    expect(await page.getByRole("menuitem", { name: /短信记录|系统管理/ }).count()).toBe(0);
    await ctx.close();
  });
});
