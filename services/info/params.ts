/** Validator fragments the info service's actions share (ids, years: shared/params.ts). */
import { YEAR } from "../../shared/params";

export const OPTIONAL_YEAR = { ...YEAR, optional: true } as const;
export const CMD = "string|min:1|max:64|optional";
export const COMMENT = "string|min:1|max:2000|trim";
export const PAGE = { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true };
export const LIMIT = { type: "number", integer: true, min: 1, max: 200, convert: true, optional: true };
export const BOX = { type: "enum", values: ["mine", "review", "all"], optional: true };
