/**
 * Every main page renders with demo data (screenshots for the README), the phone-sized pages do not
 * scroll sideways, and the time from login to a rendered My page is measured.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { launch, login, newContext, overflowsX, shot, SHOTS } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** My page is rendered when the user's own logs (or their empty state) are on screen. */
async function myPageRendered(page: Page): Promise<void> {
  await page
    .locator("[data-testid=my-logs] [data-testid=log-card], [data-testid=my-logs] .ant-empty")
    .first()
    .waitFor({ timeout: 30_000 });
}

describe("pages", () => {
  test("when HR opens the main pages, then each renders its data", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await login(page, "hr");
    await myPageRendered(page);
    await shot(page, "my-page");

    await page.goto("/worklog");
    await page.locator("[data-testid=square-feed] [data-testid=log-card]").first().waitFor({ timeout: 30_000 });
    await page
      .locator("[data-testid=useful-top] .ant-list-item, [data-testid=useful-top] .ant-empty")
      .first()
      .waitFor();
    await shot(page, "square");

    await page.goto("/compare");
    await page.getByTestId("county-chart").locator("canvas").waitFor({ timeout: 60_000 });
    await page.waitForTimeout(800); // the chart animates in
    await shot(page, "county-comparison");
    // Drill down: a click on a row opens that county's divisions.
    await page.locator("[data-testid=compare-page] tbody tr.ant-table-row").first().click();
    await page.getByTestId("division-chart").locator("canvas").waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get("org")).toBeTruthy();

    await page.goto("/staff");
    await page.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor();
    await page.getByRole("tab", { name: "统计分析" }).click();
    await page.getByTestId("chart-education").locator("canvas").waitFor();
    await page.waitForTimeout(800);
    await shot(page, "staff-stats");

    await page.goto("/attendance");
    await page.locator(".ant-tabs").waitFor({ timeout: 30_000 });
    await shot(page, "attendance");

    await page.goto("/plans?tab=tasks");
    await page.getByTestId("leading-tasks").waitFor({ timeout: 60_000 });
    await shot(page, "plans-tasks");

    await page.goto("/assessment?tab=mine");
    await page.getByTestId("breakdown").waitFor({ timeout: 60_000 });
    await shot(page, "assessment-mine");

    await page.goto("/info?box=all");
    await page.getByTestId("info-table").waitFor({ timeout: 60_000 });
    await shot(page, "info-reports");

    await page.goto("/notices");
    await page.getByTestId("notices-mine").waitFor({ timeout: 60_000 });
    await shot(page, "notices");
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test("when a phone-sized screen shows My page, the square, a log and the writing form, then nothing scrolls sideways", async () => {
    const ctx = await newContext(browser, true);
    const page = await ctx.newPage();
    await login(page, "staff");
    await myPageRendered(page);
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-my-page");

    await page.goto("/worklog");
    const first = page.locator("[data-testid=square-feed] [data-testid=log-card]").first();
    await first.waitFor({ timeout: 30_000 });
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-square");

    await first.locator("a").nth(2).click();
    await page.getByTestId("log-detail").waitFor();
    expect(await overflowsX(page)).toBe(false);

    await page.goto("/worklog/write");
    await page.getByTestId("write-done").waitFor();
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-write");
    await ctx.close();
  });

  test("when a member signs in, then the shell and then My page with their logs are rendered within the budget", async () => {
    const shellTimes: number[] = [];
    const fullTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await newContext(browser);
      const page = await ctx.newPage();
      await page.goto("/login");
      await page.getByPlaceholder("用户名或手机号").fill("staff");
      await page.getByPlaceholder("密码").fill("Mingbai@2026");
      await page.waitForTimeout(500); // the user types; the next chunks are fetched meanwhile
      const t0 = Date.now();
      await page.getByRole("button", { name: /登\s*录/ }).click();
      await page.getByTestId("my-page").waitFor();
      shellTimes.push(Date.now() - t0);
      await myPageRendered(page);
      fullTimes.push(Date.now() - t0);
      await ctx.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const result = {
      shellTimes,
      shellMedian: median(shellTimes),
      fullTimes,
      fullMedian: median(fullTimes),
      at: new Date().toISOString(),
    };
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(path.join(SHOTS, "login-to-my-page.json"), JSON.stringify(result, null, 2));
    const budget = Number(process.env.MINGBAI_MY_PAGE_BUDGET_MS ?? 1500);
    // The client's part: the signed-in shell with My page's layout on screen.
    expect(result.shellMedian).toBeLessThan(budget);
    // The whole page, including the worklog feed query (see loadtest/RESULTS.md, "Web client").
    expect(result.fullMedian).toBeLessThan(budget);
  });
});
