/**
 * Assessment in the browser: HR clicks "生成汇总表" for the bureau; the page shows the county ranking,
 * the .xlsx downloads (opened here with exceljs and checked against the API) and the print view opens,
 * with each step shown while it runs.
 */
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import type { OrgResult } from "../../shared/contracts/assessment";
import {
  WAIT_MS,
  apiGet,
  apiLogin,
  eventually,
  holdRequests,
  launch,
  login,
  newContext,
  shot,
  textOf,
} from "./support/browser";
import { thisYear } from "./support/dates";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const year = thisYear();

/** The sheet's cell under a header, in the row whose "单位" cell is `name`. */
function cellFor(sheet: ExcelJS.Worksheet, name: string, header: string): ExcelJS.CellValue {
  let headerCol = 0;
  let nameCol = 0;
  let value: ExcelJS.CellValue = null;
  sheet.eachRow((row) => {
    row.eachCell((cell, col) => {
      if (cell.value === header && !headerCol) headerCol = col;
      if (cell.value === "单位" && !nameCol) nameCol = col;
    });
    if (nameCol && headerCol && row.getCell(nameCol).value === name) value = row.getCell(headerCol).value;
  });
  return value;
}

describe("assessment", () => {
  test("when HR generates the bureau summary, then the table shows, the .xlsx matches the API and the print view opens", async () => {
    const { token } = await apiLogin("hr");
    const counties = await apiGet<OrgResult[]>(token, `/api/assessment/summary/counties?year=${year}`);
    expect(counties.length).toBe(20);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "hr", undefined, `/assessment?tab=summary&year=${year}`);
    await page.getByTestId("generate-summary").waitFor();
    expect(await page.getByTestId("summary-kind").innerText()).toContain("全局汇总表");
    // The .xlsx is held in the browser for a moment, so the test sees the steps while it is built.
    const held = await holdRequests(page, "**/api/assessment/exports/summary?*");
    const download = page.waitForEvent("download", { timeout: 3 * WAIT_MS });
    const popup = page.waitForEvent("popup");
    await page.getByTestId("generate-summary").click();
    await held.seen;
    const steps = page.getByTestId("summary-steps");
    await textOf(steps.locator(".ant-steps-item-process"), "下载 .xlsx");
    await textOf(page.getByTestId("summary-xlsx-progress"), "正在生成文件");
    await held.release();

    // The page's table: the counties in the API's order.
    const rows = page.locator("[data-testid=summary-table] tbody tr.ant-table-row");
    await rows.first().waitFor({ timeout: 2 * WAIT_MS });
    await eventually(async () => expect(await rows.count()).toBe(counties.length));
    expect(await rows.first().innerText()).toContain(counties[0].shortName);
    // All three steps done: table, .xlsx, print view.
    await eventually(async () => expect(await steps.locator(".ant-steps-item-finish").count()).toBe(3), {
      timeout: 3 * WAIT_MS,
    });
    await shot(page, "assessment-summary");

    // The .xlsx: the three sheets, and the counties' scores as the API gives them.
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-e2e-")), saved.suggestedFilename());
    await saved.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["县区对比", "处室汇总", "干部汇总"]);
    const sheet = wb.getWorksheet("县区对比")!;
    for (const c of [counties[0], counties[counties.length - 1]]) {
      expect(Number(cellFor(sheet, c.name, "得分"))).toBeCloseTo(c.score, 2);
      expect(Number(cellFor(sheet, c.name, "排名"))).toBe(c.rank);
      expect(Number(cellFor(sheet, c.name, "人数"))).toBe(c.people);
    }

    // The print view: the server's print-ready page in a new window.
    const print = await popup;
    await print.waitForFunction("document.body.innerText.includes('考核')", undefined, { timeout: 2 * WAIT_MS });
    const html = await print.content();
    expect(html).toContain(`${year}年度`);
    expect(html).toContain(counties[0].name);
    await print.setViewportSize({ width: 1366, height: 860 });
    await shot(print, "assessment-print-view");
    await ctx.close();
  });
});
