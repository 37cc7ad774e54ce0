/**
 * Every main page renders with demo data (screenshots for the README), My page shows each of its
 * sections with the member's own data, and on a phone-sized screen logs are written and read and
 * My page is used without scrolling sideways. (How fast login → My page is: loadtest/web-bench.ts.)
 */
import type { Browser, Page } from "playwright-core";
import type { FeedResult } from "../../shared/contracts/worklog";
import { apiGet, apiLogin, launch, login, newContext, overflowsX, shot, textOf } from "./support/browser";

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
    .waitFor();
}

/** An ECharts chart has drawn its data and finished animating. */
async function chartDrawn(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid=${testId}][data-rendered=true] canvas`).waitFor();
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
    await page.locator("[data-testid=square-feed] [data-testid=log-card]").first().waitFor();
    await page
      .locator("[data-testid=useful-top] .ant-list-item, [data-testid=useful-top] .ant-empty")
      .first()
      .waitFor();
    // A search in the demo's own words (the README shows this one, so no test-written log is on top).
    await page.getByTestId("square-search").locator("input").fill("政府采购");
    await page.getByTestId("square-search").locator("input").press("Enter");
    await page.locator("[data-testid=square-feed] [data-testid=log-card] mark").first().waitFor();
    await shot(page, "square");

    await page.goto("/compare");
    await chartDrawn(page, "county-chart");
    await shot(page, "county-comparison");
    // Drill down: a click on a row opens that county's divisions.
    await page.locator("[data-testid=compare-page] tbody tr.ant-table-row").first().click();
    await chartDrawn(page, "division-chart");
    expect(new URL(page.url()).searchParams.get("org")).toBeTruthy();

    await page.goto("/staff");
    await page.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor();
    await page.getByRole("tab", { name: "统计分析" }).click();
    await chartDrawn(page, "chart-education");
    await shot(page, "staff-stats");

    await page.goto("/attendance");
    // HR sees the whole bureau: pick a division to enter, or read the monthly summary.
    await page.getByTestId("attendance-grid").or(page.getByText("请先选择处室再录入")).first().waitFor();
    await shot(page, "attendance");

    await page.goto("/plans?tab=tasks");
    await page.getByTestId("leading-tasks").waitFor();
    await shot(page, "plans-tasks");

    await page.goto("/assessment?tab=mine");
    await page.getByTestId("breakdown").waitFor();
    await shot(page, "assessment-mine");

    await page.goto("/info?box=all");
    await page.locator("[data-testid=info-table] tbody tr.ant-table-row").first().waitFor();
    await shot(page, "info-reports");

    await page.goto("/notices");
    await page.locator("[data-testid=notices-mine] tbody tr.ant-table-row").first().waitFor();
    await shot(page, "notices");
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test("when a member opens My page, then each section shows their own data", async () => {
    const { token, user } = await apiLogin("staff");
    const mine = await apiGet<FeedResult>(token, `/api/worklog/logs?authorId=${user.staffId}&limit=5`);
    expect(mine.items.length).toBeGreaterThan(0);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff");
    await textOf(page.getByTestId("my-page"), user.name);
    // My logs: the newest first, as the feed API gives them.
    const first = page.locator("[data-testid=my-logs] [data-testid=log-card]").first();
    await first.waitFor();
    expect(await first.getAttribute("data-log-id")).toBe(mine.items[0].id);
    // Each section has its content (or its designed empty state), not a spinner or a blank card.
    await page.locator("[data-testid=my-plans] [data-testid=brief-arrangement]").waitFor();
    await page.locator("[data-testid=my-plans] [data-testid=brief-completion]").waitFor();
    await page.locator("[data-testid=my-indicators] [data-testid=score-brief]").waitFor();
    await page.locator("[data-testid=my-compliance] [data-testid=compliance]").waitFor();
    await page
      .locator("[data-testid=my-ab] [data-testid=ab-partner], [data-testid=my-ab] .ant-empty")
      .first()
      .waitFor();
    await page.locator("[data-testid=my-attendance] table, [data-testid=my-attendance] .ant-empty").first().waitFor();
    await page.locator("[data-testid=my-reminders] .ant-list, [data-testid=my-reminders] .ant-empty").first().waitFor();
    expect(await page.locator("[data-testid=my-page] .ant-skeleton").count()).toBe(0);
    await ctx.close();
  });

  test("when a phone-sized screen is used to write, publish and read a log and to open My page, then nothing scrolls sideways", async () => {
    const ctx = await newContext(browser, true);
    const page = await ctx.newPage();
    await login(page, "staff");
    await myPageRendered(page);
    await page.getByTestId("my-attendance").scrollIntoViewIfNeeded();
    expect(await overflowsX(page)).toBe(false);
    await page.evaluate("window.scrollTo(0, 0)");
    await shot(page, "mobile-my-page");

    // Reading: a county's logs in the square (the README shows this one).
    await page.goto("/worklog?orgId=chicheng");
    await page.locator("[data-testid=square-feed] [data-testid=log-card]").first().waitFor();
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-square");

    // Writing: the menu is a drawer on a phone.
    await page.getByRole("button", { name: "菜单" }).click();
    await page.getByRole("menuitem", { name: /写日志/ }).click();
    await page.waitForURL("**/worklog/write");
    const done = page.getByTestId("write-done");
    await done.fill(`手机上记录：核对乡镇财政所报表，整理问题清单（${Date.now().toString(36)}）。`);
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-write");
    await page.getByTestId("write-publish").click();
    await page.waitForURL(/\/worklog\/logs\/[0-9a-f]+$/);
    const logId = page.url().split("/").pop()!;
    await textOf(page.getByTestId("log-done"), "核对乡镇财政所报表");
    expect(await overflowsX(page)).toBe(false);

    // Reading: the new log in the square, then opened from it.
    await page.goto("/worklog");
    const mine = page.locator(`[data-testid=square-feed] [data-log-id="${logId}"]`);
    await mine.waitFor();
    expect(await overflowsX(page)).toBe(false);
    await mine.getByTestId("log-open").click();
    await page.waitForURL(`**/worklog/logs/${logId}`);
    await page.getByTestId("log-detail").waitFor();
    await page.getByTestId("comments").waitFor();
    expect(await overflowsX(page)).toBe(false);
    await shot(page, "mobile-log-detail");
    await ctx.close();
  });
});
