/**
 * shared/store/queue.ts. KeyedQueue: one run at a time per key, keys side by side, a failure does not
 * stop the queue. GroupCommit: one write at a time, what arrives meanwhile goes in the next batch,
 * each caller gets its own outcome; and on the real FerretDB, a duplicate in a batch fails only its
 * own caller.
 */
import { useTestNamespace } from "../../support/broker";
useTestNamespace();

import mongoose, { type Connection } from "mongoose";
import { config } from "../../../shared/config";
import { dbName } from "../../../shared/db";
import { isDuplicateKey } from "../../../shared/params";
import { GroupCommit, KeyedQueue } from "../../../shared/store/queue";

let conn: Connection;
beforeAll(async () => {
  conn = await mongoose.createConnection(config().mongoUrl, { dbName: dbName("queue") }).asPromise();
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

/** A task that records when it starts and ends, and finishes when the test says so. */
function gate(log: string[], name: string) {
  let open: (v: string) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const fn = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve, reject) => {
      open = (v) => {
        log.push(`end ${name}`);
        resolve(v);
      };
      fail = reject;
    });
  };
  return { fn, open: (v = name) => open(v), fail: (e: Error) => fail(e) };
}
const tick = () => new Promise((r) => setImmediate(r));

test("a key's runs go one at a time, in order; another key's run does not wait for them", async () => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const [a1, a2, b1] = [gate(log, "a1"), gate(log, "a2"), gate(log, "b1")];
  const r1 = q.run("a", a1.fn);
  const r2 = q.run("a", a2.fn);
  const r3 = q.run("b", b1.fn);
  await tick();
  expect(log).toEqual(["start a1", "start b1"]);
  a1.open();
  await tick();
  expect(log).toEqual(["start a1", "start b1", "end a1", "start a2"]);
  a2.open();
  b1.open();
  expect(await Promise.all([r1, r2, r3])).toEqual(["a1", "a2", "b1"]);
});

test("a failed run rejects its own caller only, and the key's next run still goes; idle waits for all", async () => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const [bad, next] = [gate(log, "bad"), gate(log, "next")];
  const failed = q.run("k", bad.fn).catch((e: Error) => e.message);
  const after = q.run("k", next.fn);
  let idle = false;
  const waited = q.idle().then(() => (idle = true));
  await tick();
  bad.fail(new Error("boom"));
  expect(await failed).toBe("boom");
  await tick();
  expect(idle).toBe(false);
  next.open();
  expect(await after).toBe("next");
  await waited;
  expect(idle).toBe(true);
});

test("on FerretDB, a duplicate `_id` in a batch fails its own caller with E11000 and the others are stored", async () => {
  const coll = conn.db!.collection<{ _id: string; n: number }>("batched");
  await coll.insertOne({ _id: "taken", n: 0 });
  const gc = new GroupCommit<{ _id: string; n: number }>((docs, opts) => coll.insertMany(docs, opts));
  const first = gc.insert({ _id: "first", n: 1 });
  // These wait for the first write and then go together in one unordered insertMany.
  const rest = ["r1", "taken", "r2"].map((id, i) =>
    gc.insert({ _id: id, n: 10 + i }).then(
      () => "stored",
      (err: unknown) => (isDuplicateKey(err) ? "duplicate" : String(err)),
    ),
  );
  await first;
  expect(await Promise.all(rest)).toEqual(["stored", "duplicate", "stored"]);
  const stored = await coll.find({}).toArray();
  expect(stored.map((d) => [d._id, d.n]).sort()).toEqual([
    ["first", 1],
    ["r1", 10],
    ["r2", 12],
    ["taken", 0],
  ]);
});

interface Doc {
  _id: string;
}

/** A fake `insertMany` that records each batch and completes when the test says so. */
function fakeStore(fail?: (batch: Doc[]) => unknown) {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  const insertMany = (docs: Doc[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(docs.map((d) => d._id));
      pending.push(() => {
        const err = fail?.(docs);
        if (err) reject(err);
        else resolve();
      });
    });
  const finishNext = async () => {
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, insertMany, finishNext };
}

const doc = (id: string): Doc => ({ _id: id });

test("when the store is idle, then a document is written at once, alone", async () => {
  const store = fakeStore();
  const gc = new GroupCommit<Doc>(store.insertMany);
  const done = gc.insert(doc("a"));
  expect(store.batches).toEqual([["a"]]);
  await store.finishNext();
  await expect(done).resolves.toBeUndefined();
});

test("when documents arrive while a write is in flight, then they go together in the next write", async () => {
  const store = fakeStore();
  const gc = new GroupCommit<Doc>(store.insertMany);
  const all = ["a", "b", "c", "d"].map((id) => gc.insert(doc(id)));
  expect(store.batches).toEqual([["a"]]);
  await store.finishNext();
  expect(store.batches).toEqual([["a"], ["b", "c", "d"]]);
  await store.finishNext();
  await expect(Promise.all(all)).resolves.toHaveLength(4);
});

test("when a batch is larger than the maximum, then it is split into rounds", async () => {
  const store = fakeStore();
  const gc = new GroupCommit<Doc>(store.insertMany, 2);
  const all = ["a", "b", "c", "d", "e"].map((id) => gc.insert(doc(id)));
  await store.finishNext();
  await store.finishNext();
  await store.finishNext();
  expect(store.batches).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  await Promise.all(all);
});

test("when one document of a batch is a duplicate, then only its caller gets the duplicate-key error", async () => {
  // The driver's unordered insertMany error: the write errors name the failed documents by index.
  const store = fakeStore((batch) => {
    const i = batch.findIndex((d) => d._id === "dup");
    return i < 0
      ? null
      : Object.assign(new Error("bulk"), { writeErrors: [{ index: i, code: 11000, errmsg: "E11000 duplicate key" }] });
  });
  const gc = new GroupCommit<Doc>(store.insertMany);
  const first = gc.insert(doc("x"));
  const [b, dup, c] = [gc.insert(doc("b")), gc.insert(doc("dup")), gc.insert(doc("c"))];
  const dupError = dup.catch((err: unknown) => err);
  await store.finishNext();
  await store.finishNext();
  await first;
  await expect(b).resolves.toBeUndefined();
  await expect(c).resolves.toBeUndefined();
  expect(await dupError).toMatchObject({ code: 11000, message: "E11000 duplicate key" });
});

test("when the whole write fails, then every caller of the batch gets that error and the next batch still runs", async () => {
  let calls = 0;
  const store = fakeStore(() => (++calls === 2 ? new Error("connection lost") : null));
  const gc = new GroupCommit<Doc>(store.insertMany);
  const first = gc.insert(doc("a"));
  const batch = [gc.insert(doc("b")), gc.insert(doc("c"))].map((p) =>
    p.then(
      () => null,
      (err: Error) => err.message,
    ),
  );
  await store.finishNext();
  await store.finishNext();
  await first;
  expect(await Promise.all(batch)).toEqual(["connection lost", "connection lost"]);
  const later = gc.insert(doc("d"));
  expect(store.batches.at(-1)).toEqual(["d"]);
  await store.finishNext();
  await expect(later).resolves.toBeUndefined();
});
