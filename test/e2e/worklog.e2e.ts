import type { Browser, Page } from "playwright-core";
import { apiGet, apiLogin, launch, login, newContext, shot } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A Chinese phrase unique to this run, so the search finds exactly the log written here. */
const stamp = Date.now().toString(36).slice(-4);
const CN_DIGITS = "零一二三四五六七八九";
const unique = [...String(Date.now()).slice(-6)].map((d) => CN_DIGITS[Number(d)]).join("");
const KEYWORD = `惠民资金直达${unique}`;

let logId = "";

async function bellCount(page: Page): Promise<number> {
  const t =
    (await page
      .getByTestId("bell-count")
      .locator(".ant-scroll-number, sup")
      .first()
      .textContent()
      .catch(() => null)) ?? "";
  return Number(t.replace(/\D/g, "") || 0);
}

describe("work logs", () => {
  test("when staff write and publish a log, then they find it in the log square by a Chinese keyword", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff");
    await page.getByRole("menuitem", { name: /写日志/ }).click();
    await page.waitForURL("**/worklog/write");
    await page
      .getByTestId("write-done")
      .fill(`上午核对${KEYWORD}台账，梳理发放进度。下午参加预算执行分析会（${stamp}）。`);
    await page.getByTestId("write-thoughts").fill("资金直达要和国库支付数据每日对账，问题早发现。");
    await page.getByTestId("write-tags").locator("input").fill("预算执行");
    await page.keyboard.press("Enter");
    await shot(page, "write-log");
    // The draft is remembered while typing.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("mingbai.draft.")));
    await page.getByTestId("write-done").focus();
    await page.keyboard.press("Control+Enter"); // the publish shortcut
    await page.waitForURL(/\/worklog\/logs\/[0-9a-f]+$/, { timeout: 30_000 });
    logId = page.url().split("/").pop()!;
    expect(await page.getByTestId("log-done").innerText()).toContain(KEYWORD);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("mingbai.draft.")).length),
    ).toBe(0);

    await page.getByRole("menuitem", { name: /日志广场/ }).click();
    await page.getByTestId("square-search").locator("input").fill(KEYWORD);
    await page.getByTestId("square-search").locator("input").press("Enter");
    const card = page.locator(`[data-testid=square-feed] [data-log-id="${logId}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator("mark").first().innerText()).toBe(KEYWORD);
    expect(await page.locator("[data-testid=square-feed] [data-testid=log-card]").count()).toBe(1);
    await shot(page, "square-search");
    await ctx.close();
  });

  test("when a colleague comments with an @mention, then the author's bell updates live", async () => {
    expect(logId).not.toBe("");
    const author = await newContext(browser);
    const authorPage = await author.newPage();
    await login(authorPage, "staff");
    await authorPage.getByTestId("bell").waitFor();
    const before = await bellCount(authorPage);

    const colleague = await newContext(browser);
    const page = await colleague.newPage();
    await login(page, "head", undefined, `/worklog/logs/${logId}`);
    await page.getByTestId("log-done").waitFor();
    const box = page.locator("textarea[data-testid=comment-input], [data-testid=comment-input] textarea").first();
    await box.click();
    await box.pressSequentially("@pengyao", { delay: 60 }); // the directory matches pinyin too
    const option = page.locator(".ant-mentions-dropdown-menu-item", { hasText: "彭瑶（市局）" }).first();
    await option.waitFor({ timeout: 60_000 });
    await option.click();
    await box.pressSequentially("这个对账做法值得借鉴，我们处也试试。", { delay: 10 });
    await page.getByTestId("comment-send").click();
    await page.locator("[data-testid=comment]", { hasText: "值得借鉴" }).waitFor({ timeout: 90_000 });
    expect(await page.locator("[data-testid=comment] a.mb-mention").first().innerText()).toBe("@彭瑶");
    await page.getByTestId("useful-btn").click();
    await page.getByText("已标记有用").waitFor();
    await shot(page, "log-detail-comment");

    // The author's page was not reloaded: the count comes over socket.io.
    await authorPage.waitForFunction(
      `Number((document.querySelector("[data-testid=bell-count] sup")?.textContent ?? "").replace(/[^0-9]/g, "") || 0) > ${before}`,
      undefined,
      { timeout: 30_000 },
    );
    await authorPage.getByTestId("bell").click();
    const item = authorPage.getByTestId("bell-item").first();
    await item.waitFor();
    expect(await item.innerText()).toContain("提到了你");
    await shot(authorPage, "bell");

    const { token } = await apiLogin("staff");
    const log = await apiGet<{ commentCount: number; usefulCount: number }>(token, `/api/worklog/logs/${logId}`);
    expect(log.commentCount).toBe(1);
    expect(log.usefulCount).toBe(1);
    await author.close();
    await colleague.close();
  });

  test("when the author edits the log, then the edit history shows the earlier version", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, `/worklog/write?id=${logId}`);
    const done = page.getByTestId("write-done");
    await done.waitFor();
    await done.fill(`${await done.inputValue()}补充：已与国库处对账一致。`);
    await page.getByTestId("write-publish").click();
    await page.waitForURL(new RegExp(`/worklog/logs/${logId}$`));
    await page.getByRole("button", { name: /修改记录/ }).click();
    await page.getByText("第 1 版").waitFor({ timeout: 60_000 });
    expect(await page.locator(".ant-drawer").innerText()).toContain("被修改");
    await ctx.close();
  });
});
