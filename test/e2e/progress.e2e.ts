/**
 * Long operations show where they are. The request is held in the browser while the test looks at
 * the page, then let through to the real server: an .xlsx import shows a progress bar and then the
 * file's row errors (nothing is written); a large export says the file is being built, then saves a
 * workbook whose rows match the API. (The summary's steps are checked in assessment.e2e.ts.)
 */
import ExcelJS from "exceljs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import type { StaffListResult } from "../../shared/contracts/personnel";
import { apiGet, apiLogin, holdRequests, launch, login, newContext, shot, textOf } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-e2e-"));

describe("progress of long operations", () => {
  test("when HR imports a staff .xlsx, then a progress bar shows until the server answers with the file's row errors", async () => {
    // A roster missing most of its columns: the server refuses it whole, so the demo data stays as it is.
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("干部职工");
    sheet.addRow(["姓名", "单位"]);
    sheet.addRow(["测试导入", "市局"]);
    const file = path.join(tmp(), "roster-missing-columns.xlsx");
    await wb.xlsx.writeFile(file);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "hr", undefined, "/staff");
    await page.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor();
    const held = await holdRequests(page, "**/api/personnel/imports/staff");
    const chooser = page.waitForEvent("filechooser");
    await page.getByTestId("staff-import").click();
    await (await chooser).setFiles(file);
    await held.seen;
    // While the server works: the button spins and a progress bar shows.
    await page.getByTestId("staff-import-progress").waitFor();
    expect(await page.getByTestId("staff-import").getAttribute("class")).toContain("ant-btn-loading");
    await shot(page, "import-progress");
    await held.release();

    // The server's answer: which columns are missing, and that nothing was written.
    const errors = page.getByTestId("import-errors");
    await textOf(errors, "缺少列");
    await textOf(page.locator(".ant-modal"), "本次未写入任何数据");
    expect(await page.getByTestId("staff-import-progress").count()).toBe(0);
    await shot(page, "import-row-errors");
    await ctx.close();
  });

  test("when HR exports a county's roster, then the page says the file is being built and the saved workbook has every member", async () => {
    const { token } = await apiLogin("hr");
    const list = await apiGet<StaffListResult>(token, "/api/personnel/staff?orgId=chicheng&limit=1");
    expect(list.total).toBeGreaterThan(0);

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "hr", undefined, "/staff?orgId=chicheng");
    await page.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor();
    const held = await holdRequests(page, "**/api/personnel/exports/staff?*");
    const download = page.waitForEvent("download");
    await page.getByTestId("staff-export").click();
    await held.seen;
    const progress = page.getByTestId("staff-export-progress");
    await textOf(progress, "正在生成文件");
    expect(await page.getByTestId("staff-export").getAttribute("class")).toContain("ant-btn-loading");
    await shot(page, "export-progress");
    await held.release();

    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = path.join(tmp(), saved.suggestedFilename());
    await saved.saveAs(file);
    await progress.waitFor({ state: "detached" });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.worksheets[0];
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).map(String);
    expect(header).toContain("姓名");
    expect(ws.actualRowCount - 1).toBe(list.total);
    await ctx.close();
  });
});
