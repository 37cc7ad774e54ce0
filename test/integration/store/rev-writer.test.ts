/**
 * shared/store/rev-writer.ts on the real FerretDB and Redis: read–modify–write guarded by `rev`. Two
 * "replicas" (two writers on two connections, locked per document as the services' writers are)
 * that change one document at the same time lose no change — the case FerretDB gets wrong for
 * plain concurrent updates, and even for two `rev`-filtered ones — and two that create it make one.
 */
import { useTestNamespace } from "../../support/broker";
useTestNamespace();

import mongoose, { Schema, type Connection, type Model } from "mongoose";
import { config } from "../../../shared/config";
import { dbName } from "../../../shared/db";
import { closeRedis } from "../../../shared/redis";
import { RevWriter, type Revised } from "../../../shared/store/rev-writer";

interface Counter extends Revised {
  n: number;
  by: string[];
}

let conns: Connection[] = [];
let models: Model<Counter>[] = [];

beforeAll(async () => {
  conns = await Promise.all(
    [1, 2].map((i) =>
      mongoose.createConnection(config().mongoUrl, { dbName: dbName("revwriter"), appName: `r${i}` }).asPromise(),
    ),
  );
  models = conns.map((c) =>
    c.model<Counter>("Counter", new Schema({ _id: String }, { versionKey: false, strict: false }), "counters"),
  );
});
afterAll(async () => {
  await conns[0].dropDatabase();
  await Promise.all(conns.map((c) => c.close()));
  await closeRedis();
});

const stored = (id: string) => conns[0].db!.collection("counters").findOne({ _id: id as never });
const fresh = (): Counter => ({ _id: "", rev: 0, n: 0, by: [] });
const bump = (who: string) => (d: Counter) => ({ ...d, n: d.n + 1, by: [...d.by, who] });

test("a first write creates the document with rev 1; each change after it moves rev on by one", async () => {
  const heard: [string, Revised][] = [];
  const w = new RevWriter({ onWritten: (collection, doc) => heard.push([collection, doc]) });
  const created = await w.update(models[0], "c1", bump("a"), fresh);
  expect(created).toEqual({ before: null, after: { _id: "c1", rev: 1, n: 1, by: ["a"] } });
  const changed = await w.update(models[0], "c1", bump("b"));
  expect(changed.before).toMatchObject({ rev: 1, n: 1 });
  expect(changed.after).toEqual({ _id: "c1", rev: 2, n: 2, by: ["a", "b"] });
  expect(await stored("c1")).toEqual(changed.after);
  expect(heard).toEqual([
    ["counters", created.after],
    ["counters", changed.after],
  ]);
});

test("a mutation that returns null writes nothing, and without init a missing document stays missing", async () => {
  const heard: Revised[] = [];
  const w = new RevWriter({ onWritten: (_c, doc) => heard.push(doc) });
  await w.update(models[0], "c2", bump("a"), fresh);
  expect(await w.update(models[0], "c2", () => null)).toMatchObject({ before: { rev: 1 }, after: null });
  expect(await w.update(models[0], "nothing-here", bump("a"))).toEqual({ before: null, after: null });
  expect(await stored("nothing-here")).toBeNull();
  expect(heard).toHaveLength(1);
});

test("two locked replicas changing one document at once lose no change, and two creating it make one", async () => {
  const writers = [new RevWriter({ lockPrefix: "rw:" }), new RevWriter({ lockPrefix: "rw:" })];
  const n = 30;
  const results = await Promise.all(
    Array.from({ length: n }, (_, k) => writers[k % 2].update(models[k % 2], "shared", bump(`w${k}`), fresh)),
  );
  const doc = (await stored("shared")) as unknown as Counter;
  expect(doc.n).toBe(n);
  expect(doc.rev).toBe(n);
  expect([...doc.by].sort()).toEqual(Array.from({ length: n }, (_, k) => `w${k}`).sort());
  // Exactly one call created it; every other one saw the document before its change.
  expect(results.filter((r) => r.before === null)).toHaveLength(1);
});
