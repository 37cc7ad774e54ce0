/** Group commit of log inserts: one write at a time, what arrives meanwhile goes in the next batch, each caller gets its own outcome. */
import { GroupCommit } from "../../../services/worklog/data/group-commit";

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
