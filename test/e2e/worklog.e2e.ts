/**
 * Work logs in the browser: staff write and publish a log and find it by a Chinese keyword; a
 * colleague's @mention reaches the author's bell live; the edit history shows earlier versions.
 * Each test writes its own log (through the form or the API), so they run in any order.
 */
import type { Browser, Page } from "playwright-core";
import type { FeedResult, LogView } from "../../shared/contracts/worklog";
import { apiGet, apiLogin, apiSend, eventually, launch, login, newContext, shot, textOf } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const CN_DIGITS = "零一二三四五六七八九";
/** A Chinese phrase unique to this test run, so a search finds exactly the log written with it. */
function uniquePhrase(prefix: string): string {
  const n = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-9);
  return prefix + [...n].map((d) => CN_DIGITS[Number(d)]).join("");
}

/** Publishes a log as `username` through the API and returns it. */
async function publishLog(username: string, done: string): Promise<LogView> {
  const { token } = await apiLogin(username);
  return apiSend<LogView>(token, "POST", "/api/worklog/logs", {
    done,
    thoughts: "资金直达要和国库支付数据每日对账，问题早发现。",
    tags: ["预算执行"],
    publish: true,
  });
}

/** The author's unread count as the bell holds it (the badge shows "99+" past 99, the attribute the number). */
async function unread(page: Page): Promise<number> {
  return Number(await page.locator("[data-testid=bell][data-loaded=true]").getAttribute("data-unread"));
}

describe("work logs", () => {
  test("when staff write and publish a log, then they find it in the log square by a Chinese keyword", async () => {
    const keyword = uniquePhrase("惠民资金直达");
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff");
    await page.getByRole("menuitem", { name: /写日志/ }).click();
    await page.waitForURL("**/worklog/write");
    await page.getByTestId("write-done").fill(`上午核对${keyword}台账，梳理发放进度。下午参加预算执行分析会。`);
    await page.getByTestId("write-thoughts").fill("资金直达要和国库支付数据每日对账，问题早发现。");
    await page.getByTestId("write-tags").locator("input").fill("预算执行");
    await page.keyboard.press("Enter");
    await shot(page, "write-log");
    // The draft is remembered while typing.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("mingbai.draft.")));
    await page.getByTestId("write-done").focus();
    await page.keyboard.press("Control+Enter"); // the publish shortcut
    await page.waitForURL(/\/worklog\/logs\/[0-9a-f]+$/);
    const logId = page.url().split("/").pop()!;
    await textOf(page.getByTestId("log-done"), keyword);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("mingbai.draft.")).length),
    ).toBe(0);

    // The search index is fed after the publish; wait until the server finds the log, then search in the page.
    const { token } = await apiLogin("staff");
    await eventually(async () => {
      const found = await apiGet<FeedResult>(token, `/api/worklog/logs?q=${encodeURIComponent(keyword)}`);
      expect(found.items.map((l) => l.id)).toContain(logId);
    });
    await page.getByRole("menuitem", { name: /日志广场/ }).click();
    await page.getByTestId("square-search").locator("input").fill(keyword);
    await page.getByTestId("square-search").locator("input").press("Enter");
    const card = page.locator(`[data-testid=square-feed] [data-log-id="${logId}"]`);
    await card.waitFor();
    expect(await card.locator("mark").first().innerText()).toBe(keyword);
    expect(await page.locator("[data-testid=square-feed] [data-testid=log-card]").count()).toBe(1);
    await shot(page, "square-search");
    await ctx.close();
  });

  test("when a colleague comments with an @mention, then the author's bell updates live", async () => {
    const log = await publishLog("staff", `上午核对${uniquePhrase("专项资金")}台账，梳理发放进度。`);
    const author = await newContext(browser);
    const authorPage = await author.newPage();
    await login(authorPage, "staff");
    const before = await unread(authorPage); // waits for the inbox to load
    await authorPage.locator("[data-testid=bell][data-live=true]").waitFor(); // and for live pushes

    const colleague = await newContext(browser);
    const page = await colleague.newPage();
    await login(page, "head", undefined, `/worklog/logs/${log.id}`);
    await page.getByTestId("log-done").waitFor();
    const box = page.locator("textarea[data-testid=comment-input], [data-testid=comment-input] textarea").first();
    await box.click();
    await box.pressSequentially("@pengyao", { delay: 60 }); // the directory matches pinyin too
    const option = page.locator(".ant-mentions-dropdown-menu-item", { hasText: "彭瑶（市局）" }).first();
    await option.click();
    await box.pressSequentially("这个对账做法值得借鉴，我们处也试试。", { delay: 10 });
    await page.getByTestId("comment-send").click();
    const comment = page.locator("[data-testid=comment]", { hasText: "值得借鉴" });
    await comment.waitFor();
    expect(await comment.locator("a.mb-mention").first().innerText()).toBe("@彭瑶");
    await page.getByTestId("useful-btn").click();
    await page.getByText("已标记有用").waitFor();
    await shot(page, "log-detail-comment");

    // The author's page was not reloaded: the count comes over socket.io.
    await eventually(async () => expect(await unread(authorPage)).toBeGreaterThan(before));
    await authorPage.getByTestId("bell").click();
    const item = authorPage.getByTestId("bell-item").first();
    await textOf(item, "提到了你");
    await shot(authorPage, "bell");

    const { token } = await apiLogin("staff");
    const after = await apiGet<{ commentCount: number; usefulCount: number }>(token, `/api/worklog/logs/${log.id}`);
    expect(after.commentCount).toBe(1);
    expect(after.usefulCount).toBe(1);
    await author.close();
    await colleague.close();
  });

  test("when the author edits the log, then the edit history shows the earlier version", async () => {
    const log = await publishLog("staff", `上午核对${uniquePhrase("转移支付")}台账。`);
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, `/worklog/write?id=${log.id}`);
    const done = page.getByTestId("write-done");
    await eventually(async () => expect(await done.inputValue()).toBe(log.done));
    await done.fill(`${log.done}补充：已与国库处对账一致。`);
    await page.getByTestId("write-publish").click();
    await page.waitForURL(new RegExp(`/worklog/logs/${log.id}$`));
    await textOf(page.getByTestId("log-done"), "补充：已与国库处对账一致");
    await page.getByRole("button", { name: /修改记录/ }).click();
    await page.getByText("第 1 版").waitFor();
    await textOf(page.locator(".ant-drawer"), "被修改");
    await ctx.close();
  });
});
