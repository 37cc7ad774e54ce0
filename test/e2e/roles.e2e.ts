/**
 * What a role may not do is hidden in the page, and the server refuses it too. Each case names the
 * demo account, the page it opens, what must not be offered there, and the request a crafted client
 * could still send, which must get 403.
 */
import type { Browser, Page } from "playwright-core";
import type { InfoReportView } from "../../shared/contracts/info";
import type { ListResult } from "../../shared/contracts/notices";
import { apiGet, apiLogin, apiStatus, launch, login, newContext, textOf } from "./support/browser";
import { thisYear } from "./support/dates";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const year = thisYear();

interface Case {
  name: string;
  as: string;
  page: string;
  /** Something the page shows once it has loaded (so "not offered" is not checked on a half-drawn page). */
  ready: (page: Page) => Promise<void>;
  /** Locators that must match nothing. */
  hidden: (page: Page) => ReturnType<Page["locator"]>[];
  /** Sends what the page does not offer, as a crafted client could; returns the HTTP status. */
  refused: (token: string) => Promise<number>;
}

const CASES: Case[] = [
  {
    name: "staff see no staff import or export, and cannot export the roster",
    as: "staff",
    page: "/staff",
    ready: (p) => p.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor(),
    hidden: (p) => [p.getByTestId("staff-import"), p.getByTestId("staff-export")],
    refused: (t) => apiStatus(t, "GET", "/api/personnel/exports/staff"),
  },
  {
    name: "staff read the assessment scheme but cannot edit it or see the frozen snapshots",
    as: "staff",
    page: "/assessment?tab=scheme",
    ready: (p) => p.getByTestId("scheme-form").waitFor(),
    hidden: (p) => [p.getByTestId("scheme-save"), p.getByRole("tab", { name: "冻结快照" })],
    refused: (t) => apiStatus(t, "GET", `/api/assessment/snapshots/${year}`),
  },
  {
    name: "staff receive notices but are not offered publishing",
    as: "staff",
    page: "/notices",
    ready: (p) => p.getByTestId("notices-mine").waitFor(),
    hidden: (p) => [p.getByRole("button", { name: /发布通知/ }), p.getByRole("tab", { name: "我发布的" })],
    refused: (t) =>
      apiStatus(t, "POST", "/api/notices/items", {
        title: "越权发布",
        body: "不应发出",
        scope: { type: "bureau", id: null },
        commandId: `e2e-${Date.now().toString(36)}`,
      }),
  },
  {
    name: "staff submit information reports but see no review desk and cannot return a report",
    as: "staff",
    page: "/info",
    ready: (p) => p.getByTestId("info-table").waitFor(),
    hidden: (p) => [p.getByText("待我审核", { exact: true })],
    refused: async (t) => {
      const open = await apiGet<ListResult<InfoReportView>>(t, `/api/info/info?box=all&status=submitted&limit=1`);
      expect(open.items.length).toBe(1);
      return apiStatus(t, "POST", `/api/info/info/${open.items[0].id}/return`, {
        comment: "越权退回",
        commandId: `e2e-${Date.now().toString(36)}`,
      });
    },
  },
  {
    name: "a division head sees no administration menu and cannot list accounts",
    as: "head",
    page: "/me",
    ready: (p) => p.getByTestId("my-logs").waitFor(),
    hidden: (p) => [
      p.getByTestId("nav").getByText("系统管理"),
      p.getByTestId("nav").getByText("审计日志"),
      p.getByTestId("nav").getByText("用户与角色"),
    ],
    refused: (t) => apiStatus(t, "GET", "/api/accounts"),
  },
  {
    name: "a county admin is not offered the frozen snapshots or the scheme editor",
    as: "county",
    page: "/assessment?tab=scheme",
    ready: (p) => p.getByTestId("scheme-form").waitFor(),
    hidden: (p) => [p.getByTestId("scheme-save"), p.getByRole("tab", { name: "冻结快照" })],
    refused: (t) => apiStatus(t, "POST", "/api/assessment/freeze", { year }),
  },
];

describe("what a role may not do", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("when %s, then it is hidden and refused", async (_name, c) => {
    const { token } = await apiLogin(c.as);
    expect(await c.refused(token)).toBe(403);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, c.as, undefined, c.page);
    await c.ready(page);
    for (const hidden of c.hidden(page)) expect(await hidden.count()).toBe(0);
    await ctx.close();
  });

  test("when staff open an administration page by its address, then it says they may not, and shows no data", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, "/admin/users");
    await textOf(page.locator(".ant-result"), "无权查看");
    expect(await page.locator(".ant-table-row").count()).toBe(0);
    await page.goto("/admin/audit");
    await textOf(page.locator(".ant-result"), "无权查看");
    expect(await page.locator(".ant-table-row").count()).toBe(0);
    await ctx.close();
  });
});
