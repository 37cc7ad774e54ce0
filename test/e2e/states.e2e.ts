/**
 * Designed states, not blank pages: while a request is in flight the page shows a skeleton; when the
 * server fails it says so and offers to retry (and the retry works); when there is nothing it says
 * that; unknown records and unknown addresses get their own message. Requests are held or failed in
 * the browser (Playwright's routing), so the states are seen every time, whatever the machine's speed.
 */
import type { Browser } from "playwright-core";
import { holdRequests, launch, login, newContext, shot, textOf } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The feed request My page makes for the member's own logs. */
const MY_LOGS = /\/api\/worklog\/logs\?.*authorId=/;

describe("empty, loading and error states", () => {
  test("when My page's logs are still loading, then a skeleton shows, and then the logs", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const held = await holdRequests(page, MY_LOGS);
    await login(page, "staff");
    await held.seen;
    await page.locator("[data-testid=my-logs] .ant-skeleton").waitFor();
    expect(await page.locator("[data-testid=my-logs] [data-testid=log-card]").count()).toBe(0);
    await shot(page, "state-loading");
    await held.release();
    await page.locator("[data-testid=my-logs] [data-testid=log-card]").first().waitFor();
    expect(await page.locator("[data-testid=my-logs] .ant-skeleton").count()).toBe(0);
    await ctx.close();
  });

  test("when the server fails, then the section says so with a retry, and the retry loads the data", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    let failed = 0;
    await page.route(MY_LOGS, async (route) => {
      failed++;
      await route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: { type: "SERVICE_UNAVAILABLE", message: "日志服务暂时不可用" } }),
      });
    });
    await login(page, "staff");
    const card = page.getByTestId("my-logs");
    await textOf(card, "加载失败");
    await textOf(card, "日志服务暂时不可用");
    expect(failed).toBeGreaterThan(0);
    // The rest of the page is not taken down with it.
    await page.locator("[data-testid=my-compliance] [data-testid=compliance]").waitFor();
    await shot(page, "state-error");

    await page.unroute(MY_LOGS);
    await card.getByRole("button", { name: /重\s*试/ }).click();
    await card.locator("[data-testid=log-card]").first().waitFor();
    expect(await card.locator(".ant-result").count()).toBe(0);
    await ctx.close();
  });

  test("when a search finds nothing, then the square says so and suggests what to do", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, "/worklog?q=" + encodeURIComponent("查无此词甲乙丙丁戊己庚"));
    const empty = page.locator(".ant-empty");
    await textOf(empty, "没有找到相关日志");
    await textOf(empty, "换个关键词试试");
    expect(await page.locator("[data-testid=square-feed]").count()).toBe(0);
    await shot(page, "state-empty");
    await ctx.close();
  });

  test("when a record or an address does not exist, then the page says it was not found", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, "/worklog/logs/000000000000000000000000");
    await textOf(page.locator(".ant-result"), "未找到");
    await page.goto("/notices/000000000000000000000000");
    await textOf(page.locator(".ant-result"), "未找到");
    await page.goto("/no-such-page");
    await textOf(page.locator(".ant-result"), "页面不存在");
    // The menu stays, so the member can go on.
    await page.getByTestId("nav").waitFor();
    await ctx.close();
  });
});
