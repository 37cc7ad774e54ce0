import { normalisePhone } from "../../../services/reminders/phone";
import {
  STATUS_RANK,
  backoffMs,
  countDay,
  inQuietHours,
  localHm,
  messageKey,
  render,
} from "../../../services/reminders/rules";
import { classify } from "../../../services/reminders/data/sms-provider";

describe("phone numbers", () => {
  it("when a Chinese mobile is written any usual way, then it becomes +86 E.164", () => {
    for (const raw of ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "8613800138000"])
      expect(normalisePhone(raw)).toEqual({ ok: true, e164: "+8613800138000" });
  });
  it("when the number is missing, a landline or junk, then it is refused with a reason", () => {
    expect(normalisePhone(null)).toEqual({ ok: false, reason: "未登记手机号" });
    expect(normalisePhone("0313-1234567")).toMatchObject({ ok: false, reason: expect.stringContaining("固定电话") });
    expect(normalisePhone("12345")).toMatchObject({ ok: false });
    expect(normalisePhone("abc")).toMatchObject({ ok: false });
  });
});

describe("reminder rules", () => {
  it("when the quiet window wraps midnight, then 21:00–07:59 is quiet and 08:00–20:59 is not", () => {
    expect(inQuietHours("21:00", "21:00", "08:00")).toBe(true);
    expect(inQuietHours("03:00", "21:00", "08:00")).toBe(true);
    expect(inQuietHours("08:00", "21:00", "08:00")).toBe(false);
    expect(inQuietHours("20:59", "21:00", "08:00")).toBe(false);
    expect(inQuietHours("12:30", "12:00", "13:00")).toBe(true);
  });
  it("when an instant is given, then its Shanghai time is used", () => {
    expect(localHm(new Date("2026-04-02T13:30:00Z"))).toBe("21:30");
  });
  it("when the recipient is the subject, then the key is policy:staff:period", () => {
    expect(messageKey("personal", "s1", "2026-04-02", "s1")).toBe("personal:s1:2026-04-02");
    expect(messageKey("escalation", "s1", "2026-04-02", "h1")).toBe("escalation:s1:2026-04-02:h1");
  });
  it("when a template is rendered, then known placeholders fill and unknown ones stay visible", () => {
    expect(render("{name}您好，{what}{oops}", { name: "张三", what: "日志" })).toBe("张三您好，日志{oops}");
  });
  it("when retries back off, then each waits about twice the last", () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, () => 0.5)).toBe(4000);
  });
  it("when Twilio answers 429/5xx or nothing, then it is transient; a 400 is permanent", () => {
    expect(classify({ status: 429, code: 20429 }).transient).toBe(true);
    expect(classify({ status: 503 }).transient).toBe(true);
    expect(classify({ status: 400, code: 21211 })).toMatchObject({ transient: false, code: "21211" });
    expect(classify({ code: "ECONNRESET", message: "socket hang up" })).toMatchObject({
      transient: true,
      ambiguous: true,
    });
  });
});

describe("the daily summary", () => {
  it("when messages end in each state, then accepted ones count as sent and each final state once", () => {
    expect(
      countDay({
        m1: { s: "delivered", a: 1 },
        m2: { s: "sent", a: 1 },
        m3: { s: "failed", a: 1 }, // accepted, then reported undelivered
        m4: { s: "failed", a: 0 }, // refused by the provider or a bad number
        m5: { s: "skipped", a: 0 },
        m6: { s: "pending", a: 0 },
      }),
    ).toEqual({ sent: 3, delivered: 1, failed: 2, skipped: 1 });
  });
  it("when a state is recorded late, then it cannot move a message back", () => {
    expect(STATUS_RANK.sent).toBeGreaterThan(STATUS_RANK.pending);
    for (const final of ["delivered", "failed", "skipped"] as const)
      expect(STATUS_RANK[final]).toBeGreaterThan(STATUS_RANK.sent);
  });
});
