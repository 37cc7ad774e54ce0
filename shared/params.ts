/**
 * Validator fragments for action params (fastest-validator), and the one duplicate-key check.
 * Every service declares its params from these, so an id or a date means the same everywhere.
 */

/** An id of anything stored: staff, organisation, log, task, … */
export const ID = "string|min:1|max:64|trim";
/** A calendar date, `YYYY-MM-DD` (checked further by the handler where it matters). */
export const DATE = "string|length:10";
export const YEAR = { type: "number", integer: true, min: 2000, max: 2100, convert: true } as const;
export const MONTH = { type: "number", integer: true, min: 1, max: 12, convert: true } as const;

/**
 * True for MongoDB's duplicate-key error (E11000): a single write's, or a bulk write's where every
 * failed write was a duplicate (an idempotent re-insert).
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] };
  if (e?.code === 11000) return true;
  return (e?.writeErrors?.length ?? 0) > 0 && e.writeErrors!.every((w) => w.code === 11000);
}
