/**
 * The one-click summary tables (汇总表) and their two formats: an .xlsx workbook (title row, merged
 * group headers, number formats, A4 landscape print setup fitted to width, header rows repeated on
 * every page, page numbers) and a print-ready HTML page (print CSS) for 直接打印. Pure apart from exceljs.
 */
import ExcelJS from "exceljs";
import {
  GRADE_LABELS,
  type DivisionResult,
  type ItemKey,
  type OrgResult,
  type StaffResult,
} from "../../shared/contracts/assessment";

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export type Cell = string | number | null;

export interface Column<T> {
  /** The merged group header above this column; null spans both header rows. */
  group: string | null;
  header: string;
  width: number;
  /** Excel number format ("0.0%", "0.00"); text otherwise. */
  format?: string;
  value: (row: T) => Cell;
}

export interface Table<T> {
  sheetName: string;
  title: string;
  /** A line under the title: organisation, date generated, notes. */
  subtitle: string;
  columns: Column<T>[];
  rows: T[];
}

const PCT = "0.0%";
const SCORE = "0.00";
const ONE = "0.0";

const itemOf = (items: { item: ItemKey; score: number | null }[], k: ItemKey): Cell =>
  items.find((i) => i.item === k)?.score ?? null;

function unitColumns<T extends OrgResult | DivisionResult>(): Column<T>[] {
  return [
    { group: null, header: "人数", width: 7, value: (r) => r.people },
    { group: "年度任务", header: "任务数", width: 8, value: (r) => r.tasks.parts },
    { group: "年度任务", header: "已完成", width: 8, value: (r) => r.tasks.done },
    { group: "年度任务", header: "延期", width: 7, value: (r) => r.tasks.delayed },
    { group: "年度任务", header: "逾期", width: 7, value: (r) => r.tasks.late },
    {
      group: "年度任务",
      header: "加权进度",
      width: 9,
      format: PCT,
      value: (r) => (r.tasks.weightedProgress === null ? null : r.tasks.weightedProgress / 100),
    },
    { group: "月度填报", header: "应报", width: 7, value: (r) => r.timeliness.due },
    { group: "月度填报", header: "按时", width: 7, value: (r) => r.timeliness.onTime },
    { group: "月度填报", header: "及时率", width: 8, format: PCT, value: (r) => r.timeliness.rate },
    { group: "工作日志", header: "应写", width: 8, value: (r) => r.logs.due },
    { group: "工作日志", header: "已写", width: 8, value: (r) => r.logs.done },
    { group: "工作日志", header: "完成率", width: 8, format: PCT, value: (r) => r.logs.rate },
    { group: "指标", header: "网络学习(学时)", width: 10, format: ONE, value: (r) => r.indicators.learningHours },
    { group: "指标", header: "信息报送(分)", width: 10, format: ONE, value: (r) => r.indicators.informationPoints },
    { group: "指标", header: "宣传(分)", width: 9, format: ONE, value: (r) => r.indicators.publicityPoints },
    { group: null, header: "出勤率", width: 8, format: PCT, value: (r) => r.attendanceRate },
    { group: null, header: "优秀人数", width: 8, value: (r) => r.grades.excellent },
    { group: null, header: "得分", width: 8, format: SCORE, value: (r) => r.score },
  ];
}

export function countiesTable(year: number, orgs: OrgResult[], generated: string): Table<OrgResult> {
  return {
    sheetName: "县区对比",
    title: `${year}年度县区财政局考核对比排名表`,
    subtitle: `20 个县区按综合得分排名 · 生成于 ${generated}`,
    columns: [
      { group: null, header: "排名", width: 6, value: (r) => r.rank },
      { group: null, header: "单位", width: 16, value: (r) => r.name },
      ...unitColumns<OrgResult>(),
    ],
    rows: orgs.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)),
  };
}

export function divisionsTable(
  year: number,
  scopeName: string,
  divisions: DivisionResult[],
  orgName: (id: string) => string,
  generated: string,
): Table<DivisionResult> {
  return {
    sheetName: "处室汇总",
    title: `${year}年度${scopeName}处室考核汇总表`,
    subtitle: `${scopeName} · 生成于 ${generated}`,
    columns: [
      { group: null, header: "排名", width: 6, value: (r) => r.rank },
      { group: null, header: "单位", width: 16, value: (r) => orgName(r.orgId) },
      { group: null, header: "处室", width: 18, value: (r) => r.name },
      ...unitColumns<DivisionResult>(),
    ],
    rows: divisions,
  };
}

export function staffTable(
  year: number,
  scopeName: string,
  staff: StaffResult[],
  orgName: (id: string) => string,
  generated: string,
): Table<StaffResult> {
  const item = (k: ItemKey, header: string): Column<StaffResult> => ({
    group: "各项得分",
    header,
    width: 8,
    format: ONE,
    value: (r) => itemOf(r.items, k),
  });
  return {
    sheetName: "干部汇总",
    title: `${year}年度${scopeName}干部职工考核汇总表`,
    subtitle: `${scopeName} · 生成于 ${generated} · 出勤仅对本人、本单位管理员和局领导显示`,
    columns: [
      { group: null, header: "单位排名", width: 7, value: (r) => r.rank },
      { group: null, header: "工号", width: 9, value: (r) => r.staffId },
      { group: null, header: "姓名", width: 9, value: (r) => r.name },
      { group: null, header: "单位", width: 14, value: (r) => orgName(r.orgId) },
      { group: null, header: "处室", width: 14, value: (r) => r.divisionName },
      { group: "工作日志", header: "应写", width: 7, value: (r) => r.logs.due },
      { group: "工作日志", header: "已写", width: 7, value: (r) => r.logs.done },
      { group: "工作日志", header: "完成率", width: 8, format: PCT, value: (r) => r.logs.rate },
      { group: "出勤", header: "记录天数", width: 8, value: (r) => r.attendance?.recorded ?? null },
      { group: "出勤", header: "缺勤", width: 6, value: (r) => r.attendance?.absent ?? null },
      { group: "出勤", header: "事假", width: 6, value: (r) => r.attendance?.leavePersonal ?? null },
      { group: "指标", header: "学时", width: 7, format: ONE, value: (r) => r.indicators.learningHours },
      { group: "指标", header: "信息分", width: 7, format: ONE, value: (r) => r.indicators.informationPoints },
      { group: "指标", header: "宣传分", width: 7, format: ONE, value: (r) => r.indicators.publicityPoints },
      item("tasks", "任务"),
      item("logs", "日志"),
      item("attendance", "出勤"),
      item("learning", "学习"),
      item("information", "信息"),
      item("publicity", "宣传"),
      { group: null, header: "总分", width: 8, format: SCORE, value: (r) => r.score },
      { group: null, header: "等级", width: 9, value: (r) => GRADE_LABELS[r.grade] },
    ],
    rows: staff,
  };
}

/** Runs of equal group names: [group, first column index, last column index]. */
function groupSpans(columns: Column<never>[]): [string | null, number, number][] {
  const out: [string | null, number, number][] = [];
  columns.forEach((c, i) => {
    const last = out[out.length - 1];
    if (last && c.group !== null && last[0] === c.group) last[2] = i;
    else out.push([c.group, i, i]);
  });
  return out;
}

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: "thin" },
  left: { style: "thin" },
  bottom: { style: "thin" },
  right: { style: "thin" },
};

function addSheet<T>(wb: ExcelJS.Workbook, t: Table<T>): void {
  const sheet = wb.addWorksheet(t.sheetName, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: "3:4",
    },
    headerFooter: { oddFooter: "&C第 &P 页，共 &N 页" },
    views: [{ state: "frozen", ySplit: 4 }],
  });
  const n = t.columns.length;
  // Formats on the columns, not on each cell: exceljs writes one shared style instead of thousands.
  sheet.columns = t.columns.map((c) => ({ width: c.width, ...(c.format ? { style: { numFmt: c.format } } : {}) }));
  sheet.mergeCells(1, 1, 1, n);
  const title = sheet.getCell(1, 1);
  title.value = t.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: "center", vertical: "middle" };
  sheet.getRow(1).height = 28;
  sheet.mergeCells(2, 1, 2, n);
  sheet.getCell(2, 1).value = t.subtitle;
  sheet.getCell(2, 1).alignment = { horizontal: "center" };
  for (const [group, first, last] of groupSpans(t.columns as Column<never>[])) {
    if (group === null) {
      sheet.mergeCells(3, first + 1, 4, first + 1);
      sheet.getCell(3, first + 1).value = t.columns[first].header;
    } else {
      if (last > first) sheet.mergeCells(3, first + 1, 3, last + 1);
      sheet.getCell(3, first + 1).value = group;
      for (let i = first; i <= last; i++) sheet.getCell(4, i + 1).value = t.columns[i].header;
    }
  }
  for (const r of [3, 4]) {
    const row = sheet.getRow(r);
    row.font = { bold: true };
    row.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    for (let c = 1; c <= n; c++) {
      const cell = sheet.getCell(r, c);
      cell.border = THIN;
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
    }
  }
  sheet.addRows(t.rows.map((item) => t.columns.map((c) => c.value(item))));
}

/** One of the summary tables, whatever its rows. */
export type AnyTable = Table<OrgResult> | Table<DivisionResult> | Table<StaffResult>;

export async function summaryWorkbook(tables: AnyTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "明白 Mingbai";
  wb.created = new Date();
  for (const t of tables) addSheet(wb, t as unknown as Table<never>);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function formatCell(v: Cell, format?: string): string {
  if (v === null) return "—";
  if (typeof v === "string") return escapeHtml(v);
  if (format === PCT) return `${(v * 100).toFixed(1)}%`;
  if (format === SCORE) return v.toFixed(2);
  if (format === ONE) return v.toFixed(1);
  return String(v);
}

function htmlTable<T>(t: Table<T>): string {
  const spans = groupSpans(t.columns as Column<never>[]);
  const top = spans
    .map(([g, a, b]) =>
      g === null
        ? `<th rowspan="2">${escapeHtml(t.columns[a].header)}</th>`
        : `<th colspan="${b - a + 1}">${escapeHtml(g)}</th>`,
    )
    .join("");
  const second = t.columns
    .filter((c) => c.group !== null)
    .map((c) => `<th>${escapeHtml(c.header)}</th>`)
    .join("");
  const body = t.rows
    .map(
      (r) =>
        `<tr>${t.columns.map((c) => `<td${c.format || typeof c.value(r) === "number" ? ' class="n"' : ""}>${formatCell(c.value(r), c.format)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<section>
<h1>${escapeHtml(t.title)}</h1>
<p class="sub">${escapeHtml(t.subtitle)}</p>
<table>
<thead><tr>${top}</tr><tr>${second}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</section>`;
}

/** A self-contained page that prints as the .xlsx does: A4 landscape, header rows on every page, page numbers. */
export function summaryHtml(title: string, tables: AnyTable[], note: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 9pt; } }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; font-size: 10pt; margin: 16px; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4px; }
.sub, .note { text-align: center; color: #444; margin: 0 0 8px; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #666; padding: 2px 4px; }
th { background: #ddebf7; font-weight: bold; text-align: center; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
section + section { break-before: page; page-break-before: always; }
.toolbar { text-align: right; margin-bottom: 8px; }
@media print { .toolbar { display: none; } body { margin: 0; } th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
</style>
</head>
<body>
<div class="toolbar"><button type="button" onclick="window.print()">直接打印</button></div>
${tables.map((t) => htmlTable(t as unknown as Table<never>)).join("\n")}
<p class="note">${escapeHtml(note)}</p>
</body>
</html>
`;
}

export const contentDisposition = (baseName: string, ext: "xlsx" | "html"): string =>
  `attachment; filename*=UTF-8''${encodeURIComponent(baseName)}.${ext}`;
