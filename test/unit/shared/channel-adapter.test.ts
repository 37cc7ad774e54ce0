import { backoffMs, onFailure } from "../../../shared/channel-adapter";

const policy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

describe("the durable channels' retry policy", () => {
  test("when deliveries keep failing, then the delay doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((d) => backoffMs(d, policy))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  test("when an ordinary channel's message has failed its first delivery and maxRetries redeliveries, then it goes to the dead letters", () => {
    expect(onFailure(3, "worklog.comment.added", policy)).toEqual({ kind: "retry", delayMs: 4000 });
    expect(onFailure(4, "worklog.comment.added", policy)).toEqual({ kind: "deadLetter" });
  });

  test("when an audit entry or a staff change keeps failing, then it is retried however often, never dead-lettered", () => {
    expect(onFailure(1000, "audit.entry", policy)).toEqual({ kind: "retry", delayMs: 60_000 });
    expect(onFailure(1000, "personnel.staff.changed", policy)).toEqual({ kind: "retry", delayMs: 60_000 });
  });
});
