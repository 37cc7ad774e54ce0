import ExcelJS from "exceljs";
import { validateAttendanceRows, validateStaffRows, type StaffImportLookups } from "../../../services/personnel/excel";
import { cellText, readSheet } from "../../../shared/xlsx";
import { DIVISIONS, ORGS } from "../../../services/personnel/orgs";
import { GOOD_STAFF_ROW, STAFF_IMPORT_HEADERS } from "../../support/staff-import";

const HEADERS = [...STAFF_IMPORT_HEADERS, "状态"];
const good = [...GOOD_STAFF_ROW, "在职"];

const lookups = (mayImport: string[]): StaffImportLookups => ({
  today: "2026-11-25",
  org: (k) => ORGS.find((o) => o.id === k || o.name === k),
  division: (orgId, k) => DIVISIONS.find((d) => d.orgId === orgId && (d.id === k || d.name === k)),
  existingOrg: (id) => ({ "s-00001": "city", "s-00002": "zhangbei" })[id],
  mayImportInto: (orgId) => mayImport.includes(orgId),
});

const rowsOf = (data: string[][]) =>
  data.map((r, i) => ({ row: i + 2, cells: new Map(HEADERS.map((h, j) => [h, r[j] ?? ""])) }));

describe("staff import validation", () => {
  test("when every row is good, then all rows come back with ids resolved", () => {
    const { rows, errors } = validateStaffRows(
      HEADERS,
      rowsOf([good, [...good.slice(0, 9), "", good[10], ""]]),
      lookups(["zhangbei"]),
    );
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      row: 2,
      id: null,
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      gender: "male",
      phone: "13800001111",
      status: "active",
    });
    expect(rows[1].phone).toBeNull();
  });

  test("when one row is bad, then no rows come back and each bad cell is reported with row and column", () => {
    const bad = [...good];
    bad[2] = "未知";
    bad[3] = "1988-13-01";
    bad[9] = "12345";
    const { rows, errors } = validateStaffRows(HEADERS, rowsOf([good, bad]), lookups(["zhangbei"]));
    expect(rows).toEqual([]);
    expect(errors.map((e) => `${e.row}:${e.column}`).sort()).toEqual(["3:出生日期", "3:性别", "3:手机号"]);
  });

  test("when a row names another organisation or an unknown division, then that is a row error", () => {
    const otherOrg = [...good];
    otherOrg[7] = "康保县财政局";
    const unknownDiv = [...good];
    unknownDiv[8] = "宇宙股";
    const { errors } = validateStaffRows(HEADERS, rowsOf([otherOrg, unknownDiv]), lookups(["zhangbei"]));
    expect(errors).toEqual([
      expect.objectContaining({ row: 2, column: "单位" }),
      expect.objectContaining({ row: 3, column: "处室" }),
    ]);
  });

  test("when a row updates an existing id of another organisation, a missing id or a repeated id, then each is reported", () => {
    const rows = rowsOf([
      ["s-00001", ...good.slice(1)],
      ["s-09999", ...good.slice(1)],
      ["s-00002", ...good.slice(1)],
      ["s-00002", ...good.slice(1)],
    ]);
    const { errors } = validateStaffRows(HEADERS, rows, lookups(["zhangbei"]));
    expect(errors.map((e) => `${e.row}:${e.column}`)).toEqual(["2:工号", "3:工号", "5:工号"]);
  });

  test("when a required column is missing, then the header row is reported", () => {
    const { errors } = validateStaffRows(
      HEADERS.filter((h) => h !== "学历"),
      [],
      lookups(["zhangbei"]),
    );
    expect(errors).toEqual([{ row: 1, column: "学历", message: "缺少列「学历」" }]);
  });
});

describe("attendance import validation", () => {
  const staff = (id: string) =>
    ({ "s-1": { orgId: "zhangbei", divisionId: "zhangbei-budget" }, "s-2": { orgId: "city", divisionId: "city-hr" } })[
      id
    ];
  const rows = (data: Record<string, string>[]) =>
    data.map((cells, i) => ({ row: i + 2, cells: new Map(Object.entries(cells)) }));

  test("when statuses are Chinese labels, then entries come back dated and empty cells are skipped", () => {
    const { entries, errors } = validateAttendanceRows(
      2026,
      11,
      ["工号", "2日", "3日"],
      rows([{ 工号: "s-1", "2日": "病假", "3日": "" }]),
      {
        staff,
        mayImportInto: (o) => o === "zhangbei",
      },
    );
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { staffId: "s-1", orgId: "zhangbei", divisionId: "zhangbei-budget", date: "2026-11-02", status: "leave_sick" },
    ]);
  });

  test("when a day column does not exist in the month, a status is unknown or the person is out of scope, then each is reported", () => {
    expect(validateAttendanceRows(2026, 2, ["工号", "30日"], [], { staff, mayImportInto: () => true }).errors).toEqual([
      expect.objectContaining({ row: 1, column: "30日" }),
    ]);
    const { entries, errors } = validateAttendanceRows(
      2026,
      11,
      ["工号", "2日"],
      rows([
        { 工号: "s-1", "2日": "休息" },
        { 工号: "s-2", "2日": "出勤" },
        { 工号: "s-9", "2日": "出勤" },
      ]),
      { staff, mayImportInto: (o) => o === "zhangbei" },
    );
    expect(entries).toEqual([]);
    expect(errors.map((e) => `${e.row}:${e.column}`)).toEqual(["2:2日", "3:工号", "4:工号"]);
  });
});

describe("reading cells", () => {
  test("when Excel stored dates, numbers or rich text, then the text is what a person typed", async () => {
    expect(cellText(new Date(Date.UTC(1988, 0, 2)))).toBe("1988-01-02");
    expect(cellText(13800001111)).toBe("13800001111");
    expect(cellText({ richText: [{ text: "张" }, { text: "三 " }] })).toBe("张三");
    expect(cellText(null)).toBe("");
  });

  test("when a workbook is read, then blank rows are skipped and rows keep their Excel numbers", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("x");
    ws.addRow(["工号", "姓名"]);
    ws.addRow(["s-1", "王芳"]);
    ws.addRow([]);
    ws.addRow(["s-2", "李强"]);
    const sheet = await readSheet(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(sheet.headers).toEqual(["工号", "姓名"]);
    expect(sheet.rows.map((r) => [r.row, r.cells.get("姓名")])).toEqual([
      [2, "王芳"],
      [4, "李强"],
    ]);
  });

  test("when the bytes are not a workbook, then reading fails with a clear error", async () => {
    await expect(readSheet(Buffer.from("not a zip"))).rejects.toThrow("有效的 .xlsx");
  });
});
