/** Reading uploaded .xlsx files: the first sheet as header → text records, row by row. */
import ExcelJS from "exceljs";

/** The text of a cell whatever Excel stored: dates as YYYY-MM-DD, numbers as digits. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.trim();
  if (typeof value === "boolean") return String(value);
  if ("richText" in value)
    return value.richText
      .map((r) => r.text)
      .join("")
      .trim();
  if ("text" in value && typeof value.text === "string") return value.text.trim();
  if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  return "";
}

export class WorkbookError extends Error {}

/** Reads the first sheet as header → text records, with the Excel row number of each. */
export async function readSheet(
  file: Buffer,
): Promise<{ headers: string[]; rows: { row: number; cells: Map<string, string> }[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new WorkbookError("文件不是有效的 .xlsx 工作簿");
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new WorkbookError("工作簿中没有工作表");
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col - 1] = cellText(cell.value)));
  const rows: { row: number; cells: Map<string, string> }[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<string, string>();
    headers.forEach((h, i) => {
      if (h) cells.set(h, cellText(r.getCell(i + 1).value));
    });
    if ([...cells.values()].some((v) => v !== "")) rows.push({ row: rowNumber, cells });
  });
  return { headers, rows };
}
