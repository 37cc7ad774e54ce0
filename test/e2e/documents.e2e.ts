/**
 * 公文 in the browser: staff draft an outgoing document with a countersigning division and send it;
 * the division head approves, the countersigner and the office agree, the leader signs it on a
 * phone (390 px); the office issues it to Zhangbei county, whose office signs for it, proposes,
 * whose leader assigns it and whose division handles it; the sender sees the result, and the
 * issued document prints in the GB/T 9704 layout (screenshotted).
 */
import type { Browser, Page } from "playwright-core";
import type { DocumentView } from "../../shared/contracts/documents";
import {
  BASE_URL,
  apiGet,
  apiLogin,
  apiSend,
  eventually,
  launch,
  login,
  newContext,
  overflowsX,
  shot,
  textOf,
} from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Signs in as a staff member: by staff id, or by the demo role login that person holds (head, leader…). */
async function loginAs(staffId: string): Promise<{ token: string; username: string }> {
  for (const username of [staffId, "head", "leader", "staff", "hr", "county", "admin"]) {
    const r = await apiLogin(username).catch(() => null);
    if (r && r.user.staffId === staffId) return { token: r.token, username };
  }
  throw new Error(`no login for ${staffId}`);
}

/** The document as its open task's assignee sees it, and that assignee's token. */
async function assignee(id: string, token: string): Promise<{ doc: DocumentView; who: string; token: string }> {
  const doc = await apiGet<DocumentView>(token, `/api/documents/items/${id}`);
  const task = doc.tasks.find((t) => t.status === "open");
  if (!task) throw new Error(`no open task on ${id}: ${doc.stage}`);
  const { token: theirs, username } = await loginAs(task.assigneeId);
  return { doc, who: username, token: theirs };
}

/** Acts on the current step through the API as its assignee. */
async function actAs(id: string, token: string, body: object = {}): Promise<DocumentView> {
  const a = await assignee(id, token);
  return apiSend<DocumentView>(a.token, "POST", `/api/documents/items/${id}/act`, body);
}

async function actInPage(page: Page, opinion?: string): Promise<void> {
  if (opinion) await page.getByTestId("opinion").fill(opinion);
  await page.getByTestId("act").click();
}

describe("document circulation", () => {
  test("draft → countersign → sign on a phone → distribute → the county signs for it → handle → done, and the print", async () => {
    const title = `关于做好年末预算执行分析工作的通知${Date.now() % 100000}`;
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "staff");
    await page.goto("/documents/new");
    await page.getByTestId("doc-title").fill(title);
    await page.getByTestId("doc-body").fill("各县区财政局：\n请于12月20日前报送年末预算执行分析报告。\n特此通知。");
    await page.getByTestId("doc-save").click();
    await page.waitForURL(/\/documents\/items\/doc-[0-9a-f]+$/);
    const id = page.url().split("/").pop()!;
    const { token } = await apiLogin("staff");
    // The treasury division countersigns (set on the draft through the API, as the editor's picker would).
    await apiSend(token, "PATCH", `/api/documents/items/${id}`, { countersignDivisionIds: ["city-treasury"] });
    await page.reload();
    await actInPage(page); // 送出
    await textOf(page.getByTestId("doc-stage"), "核稿");

    await actAs(id, token, { opinion: "同意" }); // 核稿
    let doc = await actAs(id, token, { opinion: "会签同意" }); // 会签 (国库)
    expect(doc.steps[doc.step].name).toBe("审核");
    doc = await actAs(id, token, { opinion: "同意" }); // 审核
    expect(doc.steps[doc.step].name).toBe("签发");

    // The leader signs on a phone.
    const signer = await assignee(id, token);
    const phone = await newContext(browser, true);
    const mp = await phone.newPage();
    await login(mp, signer.who, undefined, "/documents/todo");
    await textOf(mp.getByTestId("documents-todo"), title);
    expect(await overflowsX(mp)).toBe(false);
    await shot(mp, "documents-mobile-todo");
    await mp.getByRole("link", { name: title }).click();
    await mp.waitForURL(`**/documents/items/${id}`);
    await mp.getByTestId("step-actions").scrollIntoViewIfNeeded();
    await shot(mp, "documents-mobile-sign");
    await actInPage(mp, "同意印发");
    await textOf(mp.getByTestId("doc-stage"), "已签发");
    await phone.close();

    // The office issues it to Zhangbei.
    doc = await apiGet<DocumentView>(token, `/api/documents/items/${id}`);
    const officeHead = doc.tasks.find((t) => t.step === 3 && t.status === "done")!.assigneeId;
    const office = await loginAs(officeHead);
    doc = await apiSend<DocumentView>(office.token, "POST", `/api/documents/items/${id}/issue`, {
      recipients: [{ type: "org", id: "zhangbei" }],
    });
    expect(doc.number).toMatch(/^张财办〔\d{4}〕\d+号$/);
    const inId = doc.distribution[0].incomingId!;

    // Zhangbei: 签收, 拟办, 批办, 承办. Its office's staff: whoever sees the 收文 shows whose step it is.
    const { token: countyToken } = await apiLogin("county");
    const officeStaff = await apiGet<{ rows: { id: string }[] }>(
      countyToken,
      "/api/personnel/staff?divisionId=zhangbei-office&limit=50",
    );
    let viewer = "";
    for (const s of officeStaff.rows) {
      const { token: t } = await loginAs(s.id);
      const res = await fetch(`${BASE_URL}/api/documents/items/${inId}`, { headers: { Authorization: `Bearer ${t}` } });
      if (res.ok) {
        viewer = t;
        break;
      }
    }
    expect(viewer).not.toBe("");
    await actAs(inId, viewer); // 签收
    await actAs(inId, viewer, { opinion: "拟请预算股办理" });
    await actAs(inId, viewer, { opinion: "请预算股办理", handlingDivisionIds: ["zhangbei-budget"] });
    const handled = await actAs(inId, viewer, { opinion: "已按期报送分析报告" });
    expect(handled.stage).toBe("done");

    // The sender's office, in a browser of its own, sees the receipt and the result; the issued document prints.
    const officeCtx = await newContext(browser);
    const op = await officeCtx.newPage();
    await login(op, office.username, undefined, `/documents/items/${id}`);
    await eventually(async () => {
      await op.reload();
      await textOf(op.getByTestId("distribution-row"), /已按期报送分析报告/);
    });
    await op.goto(`/documents/items/${id}/print`);
    await textOf(op.getByTestId("print-number"), doc.number!);
    await op.emulateMedia({ media: "print" });
    await shot(op, "documents-print-gbt9704");
    await officeCtx.close();
    await ctx.close();
  });
});
