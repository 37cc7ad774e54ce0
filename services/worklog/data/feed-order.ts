/**
 * The feed's order, (date desc, publishedAt desc, _id desc), and what keeps the index's lists in it:
 * the cursor that encodes a position, sorted insertion and removal, and the token postings.
 */
import { fieldError } from "../../../shared/errors";
import { isIsoDate } from "../../../shared/time";
import type { IndexedLog } from "./log-index";
import type { LogDoc } from "./models";

export interface Cursor {
  date: string;
  at: number;
  id: string;
}

export interface Slot {
  doc: IndexedLog;
  /** The normalized text the search looks in, made on first use. */
  text?: string;
  /** Ordinal in the postings; a changed log gets a new one and the old one goes dead. */
  ord: number;
  at: number;
}

/** Token postings: ordinals in ascending order, in a growable typed array. */
export class Postings {
  ords = new Uint32Array(4);
  n = 0;
  push(ord: number): void {
    if (this.n === this.ords.length) {
      const next = new Uint32Array(this.n * 2);
      next.set(this.ords);
      this.ords = next;
    }
    this.ords[this.n++] = ord;
  }
  has(ord: number): boolean {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ords[mid] < ord) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.n && this.ords[lo] === ord;
  }
}

export const encodeCursor = (d: Pick<LogDoc, "date" | "publishedAt" | "_id">): string =>
  Buffer.from(JSON.stringify([d.date, new Date(d.publishedAt!).getTime(), d._id])).toString("base64url");

export function decodeCursor(cursor: string): Cursor {
  try {
    const [date, at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as [string, number, string];
    if (!isIsoDate(date) || !Number.isFinite(at) || typeof id !== "string" || !/^[0-9a-f]{24}$/.test(id))
      throw new Error("bad cursor");
    return { date, at, id };
  } catch {
    throw fieldError("cursor", "分页游标无效");
  }
}

/** Negative when `a` comes before `b` in feed order (newer first). */
export function order(a: Cursor, b: Cursor): number {
  if (a.date !== b.date) return a.date > b.date ? -1 : 1;
  if (a.at !== b.at) return b.at - a.at;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

export const keyOf = (s: Slot): Cursor => ({ date: s.doc.date, at: s.at, id: s.doc._id });

/** First index of a sorted list where `pred` (false … false true … true) holds. */
export function lowerBound(list: Slot[], pred: (s: Slot) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(list[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function insert(list: Slot[], s: Slot): void {
  const k = keyOf(s);
  list.splice(
    lowerBound(list, (x) => order(keyOf(x), k) > 0),
    0,
    s,
  );
}

export function drop(list: Slot[], s: Slot): void {
  const k = keyOf(s);
  const i = lowerBound(list, (x) => order(keyOf(x), k) >= 0);
  if (list[i] === s) list.splice(i, 1);
}
