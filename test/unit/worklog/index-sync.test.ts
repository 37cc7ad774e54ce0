/** The read index's catch-up from the change journal, with an in-memory journal: missed changes, a lost journal, a long pause. */
import { IndexSync, JOURNAL_KEEP_MS, type Journal, type JournalEntry } from "../../../services/worklog/data/index-sync";
import { LogIndex } from "../../../services/worklog/data/log-index";
import type { LogDoc } from "../../../services/worklog/data/models";

/** A journal in memory; `lose()` starts a new stream with a `reset` entry, as RedisJournal does after Redis lost it. */
class MemoryJournal implements Journal {
  entries: JournalEntry[] = [];
  private n = 0;
  private next = () => `${++this.n}-0`;
  async append(log: string, stamp: string) {
    this.entries.push({ id: this.next(), log, stamp });
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
    new IndexSync(LogIndex.of([]), { journal, writerId, now, load: async (id) => db.get(id) ?? null }, "0-0");
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
