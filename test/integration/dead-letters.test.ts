/**
 * Durable events that fail their consumer: redelivered with a growing delay, then moved to their
 * channel's dead-letter stream (never dropped), listed and replayed (audited) by a system admin to
 * the group that failed them only; audit entries and staff changes are retried until they succeed.
 */
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { sysAdmin } from "../support/actors";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";

useTestNamespace();
// Before anything reads the configuration: two redeliveries, short delays. Only this file's own
// groups consume worklog comments here, so every delivery counted is one of this test's.
process.env.CHANNEL_MAX_RETRIES = "2";
process.env.CHANNEL_RETRY_BASE_MS = "100";
process.env.CHANNEL_RETRY_MAX_MS = "300";

type Ev = { id: string; data: { action?: string } };
const ADMIN = { meta: { user: sysAdmin.user } };

interface Seen {
  /** When the flaky group was handed a message of interest. */
  tries: number[];
  handled: string[];
  steady: string[];
}

/** Two groups on one channel: `flaky` fails while `fails(ev)` says so, `steady` never does. */
function consumers(channel: string, fails: (ev: Ev) => boolean, seen: Seen): ServiceSchema[] {
  const slug = channel.replace(/\./g, "-");
  return [
    {
      name: `flaky-${slug}`,
      channels: {
        [channel]: {
          group: `flaky-${slug}`,
          handler(ev: Ev) {
            seen.tries.push(Date.now());
            if (fails(ev)) throw new Error("the database is away");
            seen.handled.push(ev.id);
          },
        },
      },
    },
    {
      name: `steady-${slug}`,
      channels: { [channel]: { group: `steady-${slug}`, handler: (ev: Ev) => void seen.steady.push(ev.id) } },
    },
  ] as unknown as ServiceSchema[];
}

const seen = (): Seen => ({ tries: [], handled: [], steady: [] });

describe("dead letters", () => {
  let node: ServiceBroker;
  let commentsFail = true;
  const commentSeen = seen();
  // The entries of action "test.retry" fail their first 6 deliveries: more than the limit of 2.
  let auditFailuresLeft = 6;
  const auditSeen = seen();

  beforeAll(async () => {
    node = await startNode("dl", [
      ...(await schemas("audit", "gateway")),
      ...consumers("worklog.comment.added", () => commentsFail, commentSeen),
      ...consumers("audit.entry", (ev) => ev.data.action === "test.retry" && auditFailuresLeft-- > 0, auditSeen),
    ]);
  }, 60_000);
  afterAll(() => node?.stop());

  const deadLetters = () =>
    node.call<
      {
        total: number;
        byChannel: Record<string, number>;
        items: { seq: number; group: string; eventId: string | null; deliveries: number }[];
      },
      object
    >("audit.deadLetters.list", {}, ADMIN);

  test("when a consumer keeps failing, then its message is redelivered with growing delays and lands in the channel's dead letters, and a replay delivers it to that group only", async () => {
    const { publish } = await import("../../shared/events");
    const ev = await publish(node, "worklog.comment.added", {
      logId: "l1",
      commentId: "c1",
      authorStaffId: "s1",
      authorName: "测试",
      logAuthorStaffId: "s2",
      mentionedStaffIds: [],
      excerpt: "x",
      createdAt: new Date().toISOString(),
    });

    const dl = await waitFor(deadLetters, (r) => r.total === 1, 20_000);
    // The first delivery and two redeliveries, then no more.
    expect(commentSeen.tries).toHaveLength(3);
    const [t1, t2, t3] = commentSeen.tries;
    expect(t2 - t1).toBeGreaterThanOrEqual(90);
    expect(t3 - t2).toBeGreaterThanOrEqual(190);
    expect(dl.byChannel).toEqual({ "worklog.comment.added": 1 });
    expect(dl.items).toEqual([
      expect.objectContaining({ group: "flaky-worklog-comment-added", eventId: ev.id, deliveries: 3 }),
    ]);
    expect(commentSeen.steady).toEqual([ev.id]);
    // The readiness probe shows it (and stays a probe of the dependencies, not of the dead letters).
    const ready = () => node.call<{ details: { deadLetters: { total: number; byChannel: object } } }>("gateway.ready");
    expect((await ready()).details.deadLetters).toEqual({ total: 1, byChannel: { "worklog.comment.added": 1 } });

    // The database is back; a system admin replays.
    commentsFail = false;
    const r = await node.call<{ replayed: number }, object>(
      "audit.deadLetters.replay",
      { channel: "worklog.comment.added" },
      ADMIN,
    );
    expect(r).toEqual({ replayed: 1 });
    await waitFor(
      () => commentSeen.handled,
      (ids) => ids.includes(ev.id),
    );
    expect((await deadLetters()).total).toBe(0);
    expect((await ready()).details.deadLetters).toEqual({ total: 0, byChannel: {} });
    // The group that had it already is not handed it again.
    await new Promise((res) => setTimeout(res, 300));
    expect(commentSeen.steady).toEqual([ev.id]);

    // The replay is in the audit log, under the admin's name.
    const entries = await waitFor(
      () =>
        node.call<{ items: { action: string; actorAccountId: string; details: Record<string, unknown> }[] }, object>(
          "audit.list",
          { action: "events.deadLetters.replay" },
          ADMIN,
        ),
      (x) => x.items.length > 0,
    );
    expect(entries.items[0]).toMatchObject({ actorAccountId: sysAdmin.user!.accountId, details: { replayed: 1 } });
  });

  test("when an audit entry's consumer fails more often than the retry limit, then it is retried until it succeeds and never dead-lettered", async () => {
    const { publish } = await import("../../shared/events");
    const ev = await publish(node, "audit.entry", {
      action: "test.retry",
      result: "success",
      actorAccountId: null,
      actorName: null,
      actorOrgId: null,
      ip: null,
      target: null,
      at: new Date().toISOString(),
    });
    await waitFor(
      () => auditSeen.handled,
      (ids) => ids.includes(ev.id),
      20_000,
    );
    expect(auditFailuresLeft).toBeLessThan(0);
    expect((await deadLetters()).byChannel["audit.entry"]).toBeUndefined();
  });

  test("when someone other than a system admin asks for the dead letters or a replay, then it is refused", async () => {
    const { zbAdmin } = await import("../support/actors");
    await expect(node.call("audit.deadLetters.list", {}, { meta: { user: zbAdmin.user } })).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      node.call("audit.deadLetters.replay", { channel: "audit.entry" }, { meta: { user: zbAdmin.user } }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(node.call("audit.deadLetters.replay", { channel: "nope" }, ADMIN)).rejects.toMatchObject({
      code: 422,
    });
  });
});
