/**
 * Uploaded spreadsheets: the base64 body decoded within the upload limit, the first sheet read as
 * header → text records row by row, and the one 422 that lists every bad cell. A file that is not
 * what it claims is a 422 on the `file` field; nothing is written.
 */
import ExcelJS from "exceljs";
import { config } from "./config";
import type { ImportRowError } from "./contracts/personnel";
import { ValidationError, fieldError } from "./errors";

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

/** An upload's bytes: base64 only, within UPLOAD_LIMIT_BYTES. */
export function decodeUpload(file: string, kind = ".xlsx"): Buffer {
  if (!/^[A-Za-z0-9+/=\r\n]+$/.test(file)) throw fieldError("file", `file 应为 base64 编码的 ${kind} 文件`);
  const buf = Buffer.from(file, "base64");
  if (buf.length > config().uploadLimitBytes) throw fieldError("file", "文件过大");
  return buf;
}

/** Every bad cell of an import, as one 422; nothing has been written. */
export function importError(errors: ImportRowError[]): ValidationError {
  return new ValidationError(
    `导入文件有 ${errors.length} 处错误，未写入任何数据`,
    errors.map((e) => ({
      field: `row ${e.row}: ${e.column}`,
      message: e.message,
      type: "IMPORT_ROW",
      row: e.row,
      column: e.column,
    })),
  );
}

/** Reads the first sheet as header → text records, with the Excel row number of each. */
export async function readSheet(
  file: Buffer,
): Promise<{ headers: string[]; rows: { row: number; cells: Map<string, string> }[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw fieldError("file", "文件不是有效的 .xlsx 工作簿");
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw fieldError("file", "工作簿中没有工作表");
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
