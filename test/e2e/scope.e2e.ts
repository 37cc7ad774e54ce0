import type { Browser } from "playwright-core";
import { apiGet, apiLogin, launch, login, newContext, shot } from "./support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Row {
  id: string;
  name: string;
  orgId: string;
  phone?: string | null;
}

describe("county admin scope", () => {
  test("when a county admin opens staff of another county, then personal data is hidden; in their own county it is shown", async () => {
    const { token, user } = await apiLogin("county");
    const other = await apiGet<{ rows: Row[] }>(token, "/api/personnel/staff?orgId=chicheng&limit=1");
    const own = await apiGet<{ rows: Row[] }>(token, `/api/personnel/staff?orgId=${user.orgId}&limit=1`);
    expect(other.rows[0].phone).toBeUndefined(); // the server leaves it out, not just the page
    expect(typeof own.rows[0].phone).toBe("string");

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, "county", undefined, `/people/${other.rows[0].id}`);
    await page.getByTestId("profile").waitFor();
    expect(await page.getByTestId("profile-phone").count()).toBe(0);
    const profile = await page.getByTestId("person-page").innerText();
    expect(profile).toContain(other.rows[0].name);
    expect(profile).toContain("仅本单位人事管理员和领导可见");
    expect(profile).not.toMatch(/1[3-9]\d{9}/);
    await shot(page, "person-other-county");

    await page.goto(`/people/${own.rows[0].id}`);
    await page.getByTestId("profile-phone").waitFor();
    expect(await page.getByTestId("profile-phone").innerText()).toBe(own.rows[0].phone);

    // The directory of another county has no phone numbers either.
    await page.goto("/staff?orgId=chicheng");
    await page.locator("[data-testid=staff-table] tbody tr.ant-table-row").first().waitFor();
    const table = await page.getByTestId("staff-table").innerText();
    expect(table).not.toMatch(/1[3-9]\d{9}/);
    await shot(page, "staff-directory");
    await ctx.close();
  });
});
