import type { Browser } from "playwright-core";
import { launch, login, loginRequest, newContext, shot, submitLogin, textOf } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("login", () => {
  test("when the password is wrong, then the login page says so and stays on the form", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto("/login");
    await submitLogin(page, "leader", "Wrong-pass-123");
    const err = page.locator("[data-testid=login-error][data-error-type=LOGIN_FAILED]");
    await textOf(err, "用户名或密码错误");
    expect(new URL(page.url()).pathname).toBe("/login");
    await ctx.close();
  });

  test("when an account is locked after five wrong passwords, then the login page says it is locked", async () => {
    const username = "s-01490"; // an ordinary demo account no other test signs in with
    // Five failures lock it (an earlier run may have locked it already: then it stays locked).
    for (let i = 0; i < 5; i++) {
      const res = await loginRequest(username, `Wrong-pass-${i}`);
      expect(res.status).toBe(401);
    }
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto("/login");
    // Even the right password is refused while the lock lasts.
    await submitLogin(page, username, "Mingbai@2026");
    const err = page.locator("[data-testid=login-error][data-error-type=ACCOUNT_LOCKED]");
    await textOf(err, /账号已锁定/);
    await shot(page, "login-locked");
    await ctx.close();
  });

  test("when the session is no longer valid, then the user signs in again and returns to the page asked for", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto("/login");
    await page.evaluate(() =>
      localStorage.setItem(
        "mingbai.session",
        JSON.stringify({
          accessToken: "stale.token",
          refreshToken: "stale.refresh",
          accessExpiresAt: Date.now() + 600_000,
          mustChangePassword: false,
          user: {
            accountId: "x",
            sessionId: "x",
            staffId: "s-00042",
            name: "测试",
            orgId: "city",
            divisionId: "city-budget",
            roles: ["staff"],
          },
        }),
      ),
    );
    await page.goto("/staff?q=wang");
    await page.waitForURL((u) => u.pathname === "/login");
    await page.getByTestId("login-expired").waitFor();
    expect(decodeURIComponent(new URL(page.url()).search)).toContain("from=/staff?q=wang");
    await submitLogin(page, "staff", "Mingbai@2026");
    await page.waitForURL((u) => u.pathname === "/staff");
    expect(new URL(page.url()).searchParams.get("q")).toBe("wang");
    await ctx.close();
  });

  test("when a member signs in, then the nav shows only what the role may do", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff");
    const nav = page.getByTestId("nav");
    const text = await textOf(nav, "日志广场");
    expect(text).toContain("日志广场");
    expect(text).toContain("写日志");
    expect(text).not.toContain("系统管理");
    expect(text).not.toContain("考勤");
    await page.goto("/login");
    await ctx.close();

    const admin = await newContext(browser);
    const p2 = await admin.newPage();
    await login(p2, "admin");
    await p2.getByTestId("nav").getByText("系统管理").click();
    const adminNav = await textOf(p2.getByTestId("nav"), "审计日志");
    expect(adminNav).toContain("审计日志");
    expect(adminNav).toContain("用户与角色");
    await admin.close();
  });
});
