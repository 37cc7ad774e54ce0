/** Calendar facts in the bureau's time zone (Asia/Shanghai); instants are stored in UTC. */

const TZ = "Asia/Shanghai";
const dateFmt = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });

/** The local calendar date of an instant, as YYYY-MM-DD. */
export const localDate = (at: Date): string => dateFmt.format(at);

/** Whole years between a birth date (YYYY-MM-DD) and a local date. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [y, m, d] = onDate.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const AGE_BANDS = ["35岁及以下", "36-45岁", "46-55岁", "56岁及以上"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBand(age: number): AgeBand {
  if (age <= 35) return AGE_BANDS[0];
  if (age <= 45) return AGE_BANDS[1];
  if (age <= 55) return AGE_BANDS[2];
  return AGE_BANDS[3];
}

export const isIsoDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
