/** Param fragments of the documents actions. */
import { DOC_TYPES, URGENCIES } from "../../../shared/contracts/documents";
import { ID } from "../../../shared/params";

export const TITLE = "string|min:1|max:200|trim";
export const BODY = "string|max:200000";
export const OPINION = "string|max:2000|trim|optional";
export const DOC_TYPE = { type: "enum", values: DOC_TYPES } as const;
export const URGENCY = { type: "enum", values: URGENCIES } as const;
/** Any text, so that a classified level gets its own clear refusal rather than "not in the list". */
export const SECRECY = "string|min:1|max:10";
export const IDS = { type: "array", items: ID, max: 100, optional: true } as const;
export const PAGE = { type: "number", integer: true, min: 1, max: 10_000, convert: true, optional: true } as const;
export const LIMIT = { type: "number", integer: true, min: 1, max: 200, convert: true, optional: true } as const;
