/**
 * What an upload is, by its content, not by the name or the type the browser claims (file-type
 * reads its first bytes). file-type is ESM-only: Node 24 `require()`s it, and jest has it made
 * CommonJS by SWC (jest.config.js). Accepted: PDF, OFD, Office and WPS documents, images, zip
 * archives and plain UTF-8 text.
 */
import { fileTypeFromBuffer } from "file-type";

/** How many leading bytes the check needs (file-type's own sample size). */
export const SNIFF_BYTES = 4100;

/** Types accepted as found; OLE compound files (cfb) and zip archives also by name, see below. */
const ACCEPTED = new Set([
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/zip",
]);

/** Old Office and WPS files are OLE compound files; an OFD (版式文件) is a zip. */
const CFB_NAMES = /\.(doc|xls|ppt|wps|et|dps)$/i;
const ZIP_MIMES: Record<string, string> = { ".ofd": "application/ofd", ".zip": "application/zip" };

/** The content type of an upload from its first bytes and its name; null when it is not accepted. */
export async function checkFileType(head: Buffer, name: string): Promise<{ mime: string; ext: string } | null> {
  const found = await fileTypeFromBuffer(head);
  const dot = name.lastIndexOf(".");
  const nameExt = dot >= 0 ? name.slice(dot).toLowerCase() : "";
  if (!found) {
    // No magic number: accepted only as UTF-8 text without control bytes.
    const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
    // A multi-byte character cut at the end of the sample decodes as one replacement character.
    // eslint-disable-next-line no-control-regex
    const clean = !text.slice(0, -1).includes("\uFFFD") && !/[\x00-\x08\x0E-\x1F]/.test(text);
    return head.length > 0 && clean ? { mime: "text/plain; charset=utf-8", ext: "txt" } : null;
  }
  if (found.ext === "cfb")
    return CFB_NAMES.test(name) ? { mime: "application/octet-stream", ext: nameExt.slice(1) } : null;
  if (found.mime === "application/zip" && ZIP_MIMES[nameExt])
    return { mime: ZIP_MIMES[nameExt], ext: nameExt.slice(1) };
  return ACCEPTED.has(found.mime) ? { mime: found.mime, ext: found.ext } : null;
}
