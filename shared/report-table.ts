/**
 * Printable report tables (汇总表) in the two formats the bureau uses: an .xlsx workbook (a title
 * row, merged group headers, number formats; A4 landscape fitted to the width, header rows repeated
 * on every page, page numbers) and a self-contained print-ready HTML page that prints the same way
 * (直接打印). Services describe a table once, as columns over rows, and get both.
 */
import ExcelJS from "exceljs";

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel number formats the tables use; the HTML page renders them the same way. */
export const FORMAT = { pct: "0.0%", score: "0.00", one: "0.0" } as const;

export type Cell = string | number | null;

export interface Column<T> {
  /** The merged group header above this column; null spans both header rows. */
  group: string | null;
  header: string;
  width: number;
  /** Excel number format (one of FORMAT); text otherwise. */
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

/** A table whatever its row type, for functions that take several. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTable = Table<any>;

/** Runs of equal group names: [group, first column index, last column index]. */
function groupSpans(columns: Column<unknown>[]): [string | null, number, number][] {
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

function addSheet(wb: ExcelJS.Workbook, t: AnyTable): void {
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
  for (const [group, first, last] of groupSpans(t.columns)) {
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

/** A workbook with one sheet per table. */
export async function tablesWorkbook(tables: AnyTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "明白 Mingbai";
  wb.created = new Date();
  for (const t of tables) addSheet(wb, t);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function formatCell(v: Cell, format?: string): string {
  if (v === null) return "—";
  if (typeof v === "string") return escapeHtml(v);
  if (format === FORMAT.pct) return `${(v * 100).toFixed(1)}%`;
  if (format === FORMAT.score) return v.toFixed(2);
  if (format === FORMAT.one) return v.toFixed(1);
  return String(v);
}

function htmlTable(t: AnyTable): string {
  const columns = t.columns as Column<unknown>[];
  const top = groupSpans(columns)
    .map(([g, a, b]) =>
      g === null
        ? `<th rowspan="2">${escapeHtml(columns[a].header)}</th>`
        : `<th colspan="${b - a + 1}">${escapeHtml(g)}</th>`,
    )
    .join("");
  const second = columns
    .filter((c) => c.group !== null)
    .map((c) => `<th>${escapeHtml(c.header)}</th>`)
    .join("");
  const body = (t.rows as unknown[])
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td${c.format || typeof c.value(r) === "number" ? ' class="n"' : ""}>${formatCell(c.value(r), c.format)}</td>`).join("")}</tr>`,
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
export function tablesHtml(title: string, tables: AnyTable[], note: string): string {
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
${tables.map(htmlTable).join("\n")}
<p class="note">${escapeHtml(note)}</p>
</body>
</html>
`;
}

/** `Content-Disposition` for a download named in Chinese (RFC 5987), which Excel and browsers keep. */
export const contentDisposition = (baseName: string, ext: "xlsx" | "html" | "csv"): string =>
  `attachment; filename*=UTF-8''${encodeURIComponent(baseName)}.${ext}`;
