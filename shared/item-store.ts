/**
 * Items kept one document each (info reports, publicity, notices): their ids, the id of a commanded
 * document, and a page of a list filtered in memory. Their index and writer are the toolkit's
 * (shared/store/refreshing-cache.ts `RowIndex`, shared/store/rev-writer.ts `RevWriter`).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ListResult } from "./contracts/notices";

export const randomId = (prefix: string): string => `${prefix}-${randomBytes(8).toString("hex")}`;
/** A re-sent create with the same command id lands on the same document. */
export const commandDocId = (prefix: string, by: string, commandId: string): string =>
  `${prefix}-${createHash("sha256").update(`${by}|${commandId}`).digest("hex").slice(0, 20)}`;

/** One page of rows (`limit` 20 and page 1 unless asked). */
export function page<T>(rows: T[], p: { page?: number; limit?: number }): ListResult<T> {
  const limit = p.limit ?? 20;
  const pg = p.page ?? 1;
  return { items: rows.slice((pg - 1) * limit, pg * limit), total: rows.length, page: pg, limit };
}
