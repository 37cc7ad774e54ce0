/** Phone numbers to E.164. Staff records hold what people typed: spaces, dashes, +86, 0086, landlines. */

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** Chinese mobile numbers: 11 digits starting 13–19. Other countries' numbers are accepted in + form only. */
const CN_MOBILE = /^1[3-9]\d{9}$/;

export function normalisePhone(raw: string | null | undefined): PhoneResult {
  if (!raw || !raw.trim()) return { ok: false, reason: "未登记手机号" };
  const compact = raw.trim().replace(/[\s\-().]/g, "");
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: `手机号含非法字符：${raw}` };
  let digits = compact;
  if (digits.startsWith("+")) {
    digits = digits.slice(1);
    if (!digits.startsWith("86")) {
      if (/^[1-9]\d{6,14}$/.test(digits)) return { ok: true, e164: `+${digits}` };
      return { ok: false, reason: `不是有效的国际号码：${raw}` };
    }
    digits = digits.slice(2);
  } else if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  if (CN_MOBILE.test(digits)) return { ok: true, e164: `+86${digits}` };
  if (/^0\d{9,11}$/.test(digits)) return { ok: false, reason: `固定电话不能接收短信：${raw}` };
  return { ok: false, reason: `不是有效的手机号：${raw}` };
}
