/**
 * shared/store/change-journal.ts. IndexSync, with an in-memory journal and worklog's read index:
 * missed changes, a lost journal, a rebuild, a long pause. RedisJournal on the real Redis: what a
 * reader from the head reads, a lost stream's reset entry, trimming.
 */
import { useTestNamespace } from "../../support/broker";
useTestNamespace();

import { LogIndex } from "../../../services/worklog/data/log-index";
import type { LogDoc } from "../../../services/worklog/data/models";
import { closeRedis, redis } from "../../../shared/redis";
import {
  IndexSync,
  JOURNAL_KEEP_MS,
  RedisJournal,
  type Journal,
  type JournalEntry,
} from "../../../shared/store/change-journal";

afterAll(() => closeRedis());

/** A journal in memory; `lose()` starts a new stream with a `reset` entry, as RedisJournal does after Redis lost it. */
class MemoryJournal implements Journal {
  entries: JournalEntry[] = [];
  private n = 0;
  private next = () => `${++this.n}-0`;
  async append(doc: string, stamp: string) {
    this.entries.push({ id: this.next(), doc, stamp });
  }
  async head() {
    return this.entries.at(-1)?.id ?? "0-0";
  }
  async read(after: string, count: number) {
    const from = Number(after.split("-")[0]);
    return this.entries.filter((e) => Number(e.id.split("-")[0]) > from).slice(0, count);
  }
  lose() {
    this.entries = [{ id: this.next(), reset: true }];
  }
}

const doc = (id: string, done: string): LogDoc =>
  ({
    _id: id,
    kind: "personal",
    status: "published",
    authorStaffId: "s",
    orgId: "o",
    divisionId: "d",
    date: "2026-03-02",
    done,
    thoughts: "",
    tags: [],
    tokens: [],
    version: 1,
    publishedAt: new Date("2026-03-02T08:00:00Z"),
  }) as unknown as LogDoc;

function setup() {
  const db = new Map<string, LogDoc>();
  const journal = new MemoryJournal();
  let clock = 1_000_000;
  const now = () => clock;
  const replica = (writerId: string) =>
    new IndexSync<LogDoc, LogIndex>(
      LogIndex.of([]),
      { journal, writerId, now, load: async (id) => db.get(id) ?? null },
      "0-0",
    );
  return { db, journal, replica, advance: (ms: number) => (clock += ms) };
}

test("when a replica missed the broadcast of another's change, then its catch-up re-reads the log from the journal", async () => {
  const { db, replica } = setup();
  const [a, b] = [replica("a"), replica("b")];
  const log = doc("L1", "初稿");
  db.set(log._id, log);
  await a.local((idx) => idx.apply(log), log._id).journaled;
  expect(b.index.get("L1")).toBeUndefined();
  expect(await b.catchUp()).toEqual({ changes: 1, lost: false });
  expect(b.index.get("L1")?.done).toBe("初稿");
  // Read once: the next catch-up finds nothing new.
  expect(await b.catchUp()).toEqual({ changes: 0, lost: false });
});

test("when the journal was lost and recreated, then the catch-up says so (the service rebuilds the index)", async () => {
  const { journal, replica } = setup();
  const b = replica("b");
  journal.lose();
  expect((await b.catchUp()).lost).toBe(true);
});

test("when the index is replaced after a rebuild, then the journal is read again from the rebuild's head, changes seen before included", async () => {
  const { db, journal, replica } = setup();
  const [a, b] = [replica("a"), replica("b")];
  const log = doc("L2", "一");
  db.set(log._id, log);
  const head = await journal.head();
  await a.local((idx) => idx.apply(log), log._id).journaled;
  await b.catchUp();
  // b's rebuild read the table before L2 existed: its new index lacks L2 until it reads the journal again.
  b.replace(LogIndex.of([]), head);
  expect(b.index.get("L2")).toBeUndefined();
  expect(await b.catchUp()).toEqual({ changes: 1, lost: false });
  expect(b.index.get("L2")?.done).toBe("一");
});

test("when a replica has not caught up for longer than half the journal's keep time, then it must rebuild", async () => {
  const { replica, advance } = setup();
  const b = replica("b");
  advance(JOURNAL_KEEP_MS / 2 + 1);
  expect((await b.catchUp()).lost).toBe(true);
});

describe("RedisJournal on the real Redis", () => {
  const key = () => `journal-${Math.random().toString(36).slice(2)}`;

  test("a reader that starts at the head reads exactly the changes appended after it, oldest first", async () => {
    const j = new RedisJournal(redis, key());
    await j.append("before", "a.1");
    const head = await j.head();
    await j.append("L1", "a.2");
    await j.append("L2", "b.1");
    const entries = await j.read(head, 10);
    expect(entries.map((e) => [e.doc, e.stamp])).toEqual([
      ["L1", "a.2"],
      ["L2", "b.1"],
    ]);
    expect(await j.read(entries[1].id, 10)).toEqual([]);
    expect(await j.read(head, 1)).toHaveLength(1);
  });

  test("a stream that Redis lost is recreated with a reset entry, which a reader from before meets", async () => {
    const k = key();
    const j = new RedisJournal(redis, k);
    await j.append("L1", "a.1");
    const head = await j.head();
    await redis().del(k);
    await j.append("L2", "a.2");
    const entries = await j.read(head, 10);
    expect(entries[0]).toEqual({ id: expect.any(String), reset: true });
    expect(entries[1]).toMatchObject({ doc: "L2", stamp: "a.2" });
  });

  test("a stream recreated with ids at or below a reader's position still shows that reader its reset entry", async () => {
    // Same millisecond, or a Redis whose clock is behind the lost one's: the new reset is numbered before the reader.
    const k = key();
    const j = new RedisJournal(redis, k);
    await redis().xadd(k, "5-0", "reset", "1");
    await redis().xadd(k, "5-1", "l", "L1", "s", "a.1");
    const head = await j.head();
    expect(head).toBe("5-1");
    await redis().del(k);
    await redis().xadd(k, "5-0", "reset", "1");
    await j.append("L2", "a.2");
    const entries = await j.read(head, 10);
    expect(entries[0]).toEqual({ id: "5-0", reset: true });
    expect(entries[1]).toMatchObject({ doc: "L2", stamp: "a.2" });
    // A reader whose position is in the recreated stream reads on as usual.
    expect((await j.read("5-0", 10)).map((e) => e.doc)).toEqual(["L2"]);
  });

  test("entries older than the keep time are trimmed as new ones are appended", async () => {
    let now = Date.now();
    const k = key();
    const j = new RedisJournal(redis, k, () => now);
    const start = await j.head(); // creates the stream (its reset entry)
    for (let i = 0; i < 300; i++) await j.append(`old${i}`, `s.${i}`);
    // Entry ids are Redis's clock: the journal's clock moves to a keep time after the last old entry.
    const lastOld = (await j.read(start, 1000)).at(-1)!;
    now = Number(lastOld.id.split("-")[0]) + 1 + JOURNAL_KEEP_MS;
    await j.append("new", "s.new");
    // MINID trimming is approximate ("~"): whole stream nodes of old entries go, never the new one.
    const left = await j.read("0-0", 1000);
    expect(left.length).toBeLessThan(301);
    expect(left.at(-1)).toMatchObject({ doc: "new" });
  });
});
