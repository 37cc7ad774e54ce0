/**
 * Plans in the browser: HR's completion matrix agrees with the API; a division head's completion
 * form refuses a delay without a reason, then saves one that persists; staff see no matrix and the
 * server refuses it to them.
 */
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { CompletionMatrix, MonthView } from "../../shared/contracts/plans";
import { BASE_URL, WAIT_MS, apiGet, apiLogin, eventually, launch, login, newContext, shot } from "./support/browser";
import { localDay, thisYear } from "./support/dates";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Picks an option in the open antd Select dropdown. */
async function pick(page: Page, option: string): Promise<void> {
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
}

/** Last month, as the completion report is usually filed: { y, m, key: "YYYY-MM" }. */
function lastMonth(): { y: number; m: number; key: string } {
  const today = localDay();
  let [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  if (m === 0) [y, m] = [y - 1, 12];
  return { y, m, key: `${y}-${String(m).padStart(2, "0")}` };
}

describe("plans", () => {
  test("when HR opens the completion matrix, then every division's row and the totals match the API", async () => {
    const { token } = await apiLogin("hr");
    const year = thisYear();
    const api = await apiGet<CompletionMatrix>(token, `/api/plans/matrix?year=${year}`);
    expect(api.rows.length).toBeGreaterThan(0);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "hr", undefined, "/plans?tab=matrix");
    const rows = page.locator("[data-testid=matrix-table] tbody tr.ant-table-row");
    await rows.first().waitFor({ timeout: 2 * WAIT_MS });
    await eventually(async () => expect(await rows.count()).toBe(api.rows.length));
    const totals = (await page.getByTestId("matrix-totals").innerText()).replace(/,/g, "");
    expect(totals).toContain(String(api.totals.parts));
    expect(totals).toContain(String(api.totals.delayed));
    // Each division's row shows one square per task part it holds.
    const first = api.rows[0];
    const cells = api.cells.filter((c) => c.divisionId === first.divisionId).length;
    expect(await rows.first().locator(".mb-cell").count()).toBe(cells);
    expect(await rows.first().innerText()).toContain(first.name);
    await shot(page, "plans-matrix");

    // Printed on A4: no menu, header or controls, and the table fits the page width.
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    expect(await page.getByTestId("nav").isVisible()).toBe(false);
    expect(await page.locator(".mb-header").isVisible()).toBe(false);
    expect(await page.locator("[data-testid=plan-matrix] .ant-segmented").isVisible()).toBe(false);
    const fits = await page.evaluate(
      "document.querySelector('[data-testid=matrix-table] table').scrollWidth <= document.documentElement.clientWidth",
    );
    expect(fits).toBe(true);
    await shot(page, "plans-matrix-print");
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1366, height: 860 });

    // The matrix as a workbook: the bureau total as the API gives it.
    const download = page.waitForEvent("download", { timeout: 3 * WAIT_MS });
    await page.getByTestId("matrix-export").click();
    const saved = await download;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-e2e-")), saved.suggestedFilename());
    await saved.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["处室完成情况", "任务明细"]);
    const total = wb.getWorksheet("处室完成情况")!.lastRow!;
    expect([total.getCell(2).value, total.getCell(3).value]).toEqual(["合计", api.totals.parts]);
    expect(wb.getWorksheet("任务明细")!.rowCount).toBe(4 + api.cells.length);

    // The task view lists every task of the year.
    await page.getByText("按任务", { exact: true }).click();
    const taskRows = page.locator("[data-testid=matrix-tasks] tbody tr.ant-table-row");
    await taskRows.first().waitFor();
    await eventually(async () => expect(await taskRows.count()).toBe(api.tasks.length));
    await ctx.close();
  });

  test("when a division head fills the completion form, then a delay needs a reason and the saved report persists", async () => {
    const { token, user } = (await apiLogin("head")) as Awaited<ReturnType<typeof apiLogin>> & {
      user: { divisionId: string };
    };
    const { y, m, key } = lastMonth();
    const reason = `配套资金尚未到位（e2e ${Date.now().toString(36)}）`;

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "head", undefined, `/plans?tab=month&month=${key}`);
    const table = page.getByTestId("completion-tasks");
    const row = table.locator("tbody tr.ant-table-row").first();
    await row.waitFor();
    const title = (await row.locator("td").first().innerText()).replace(/配合$/, "").trim();

    await row.getByTestId("tasks-status-0").click();
    await pick(page, "延期");
    await row.locator("input.ant-input-number-input").fill("40");
    await row.getByPlaceholder("延期原因").fill(""); // an earlier run may have saved one
    await page.getByTestId("completion-submit").click();
    // The form refuses a delay without a reason; nothing is sent.
    await row.getByText("延期须填写原因").waitFor();
    await shot(page, "plans-completion-reason-needed");

    await row.getByPlaceholder("延期原因").fill(reason);
    await page.getByTestId("completion-submit").click();
    await page.getByText("完成情况已提交").waitFor();

    // The server holds it …
    const month = await apiGet<MonthView>(token, `/api/plans/months/division/${user.divisionId}/${y}/${m}`);
    const saved = month.completion!.tasks.find((t) => t.taskTitle === title);
    expect(saved).toMatchObject({ status: "delayed", progress: 40, reason });

    // … and a fresh page shows it again.
    await page.reload();
    const again = page.getByTestId("completion-tasks").locator("tbody tr.ant-table-row").first();
    await again.waitFor();
    expect(await again.getByTestId("tasks-status-0").innerText()).toContain("延期");
    expect(await again.locator("input.ant-input-number-input").inputValue()).toBe("40");
    expect(await again.getByPlaceholder("延期原因").inputValue()).toBe(reason);
    await shot(page, "plans-completion");
    await ctx.close();
  });

  test("when staff open plans, then no matrix is offered and the server refuses it", async () => {
    const { token } = await apiLogin("staff");
    const res = await fetch(`${BASE_URL}/api/plans/matrix`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff", undefined, "/plans?tab=matrix");
    await page.getByTestId("leading-tasks").or(page.locator(".ant-empty")).first().waitFor();
    expect(await page.getByRole("tab", { name: "完成矩阵" }).count()).toBe(0);
    expect(await page.getByTestId("plan-matrix").count()).toBe(0);
    expect(await page.getByRole("menuitem", { name: /系统管理/ }).count()).toBe(0);
    await ctx.close();
  });
});
