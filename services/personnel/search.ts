/** Name search keys (pinyin) and safe search patterns. */
import { pinyin } from "pinyin-pro";

/** Full pinyin without tones or spaces, and the initials: 张晓明 → zhangxiaoming, zxm. */
export function nameKeys(name: string): { namePinyin: string; nameInitials: string } {
  const syllables = pinyin(name, { toneType: "none", type: "array", surname: "head", v: true }) as string[];
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z]/g, "")).filter(Boolean);
  return { namePinyin: clean.join(""), nameInitials: clean.map((s) => s[0]).join("") };
}

export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Mongo filter for a free-text name query: Chinese matches the name anywhere, Latin letters match the
 * full pinyin anywhere or the start of the initials.
 */
export function nameQuery(q: string): Record<string, unknown> | null {
  const trimmed = q.trim();
  if (!trimmed) return null;
  const latin = trimmed.toLowerCase().replace(/\s+/g, "");
  if (/^[a-z]+$/.test(latin)) {
    const e = escapeRegex(latin);
    return {
      $or: [{ namePinyin: { $regex: e } }, { nameInitials: { $regex: `^${e}` } }],
    };
  }
  return { name: { $regex: escapeRegex(trimmed) } };
}
