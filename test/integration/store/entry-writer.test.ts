/**
 * shared/store/entry-writer.ts (EntryWriter) on the real FerretDB and Redis: versioned entries never go back, and
 * writers in two "replicas" (two instances, two connections) lose nothing when their writes to one
 * document overlap — the case FerretDB gets wrong for plain concurrent updates; what arrives while a
 * write waits goes in that write; a rebuild's replace keeps the entries applied after it.
 */
import { useTestNamespace } from "../../support/broker";
useTestNamespace();

import mongoose, { Schema, type Connection } from "mongoose";
import { config } from "../../../shared/config";
import { dbName } from "../../../shared/db";
import { closeRedis } from "../../../shared/redis";
import { EntryWriter } from "../../../shared/store/entry-writer";

interface E {
  v: number;
  s: string;
}
interface D {
  _id: string;
  items: Record<string, E>;
}

let conns: Connection[] = [];
const model = (i: number, name: string) =>
  conns[i].model<D>(name, new Schema<D>({ _id: String, items: Schema.Types.Mixed }, { versionKey: false }), name);

beforeAll(async () => {
  conns = await Promise.all(
    [1, 2].map((i) =>
      mongoose.createConnection(config().mongoUrl, { dbName: dbName("entrywriter"), appName: `w${i}` }).asPromise(),
    ),
  );
});

afterAll(async () => {
  await conns[0].dropDatabase();
  await Promise.all(conns.map((c) => c.close()));
  await closeRedis();
});

const coll = (i: number, name: string) => conns[i].db!.collection(name);

test("a newer version replaces an entry; an older or equal one is ignored; init fields land on create", async () => {
  const w = new EntryWriter<D>(model(0, "versions"));
  await w.apply("doc", { orgId: "o1" }, "items", "a", { v: 2, s: "second" });
  await w.apply("doc", {}, "items", "a", { v: 1, s: "first, late" });
  await w.apply("doc", {}, "items", "a", { v: 2, s: "second, again" });
  await w.apply("doc", {}, "items", "b", { v: 1, s: "other" });
  const doc = await coll(0, "versions").findOne({ _id: "doc" as never });
  expect(doc).toEqual({ _id: "doc", orgId: "o1", items: { a: { v: 2, s: "second" }, b: { v: 1, s: "other" } } });
  await w.apply("doc", {}, "items", "a", { v: 3, s: "third" });
  expect((await coll(0, "versions").findOne({ _id: "doc" as never }))?.items.a).toEqual({ v: 3, s: "third" });
});

test("two writers on two connections, locked per document, lose no entry", async () => {
  const writers = [0, 1].map((i) => new EntryWriter<D>(model(i, "shared"), { lockPrefix: "ew:" }));
  const n = 60;
  await Promise.all(
    Array.from({ length: n }, (_, k) =>
      writers[k % 2].apply("day", {}, "items", `m${k}`, { v: 1, s: `from ${k % 2}` }),
    ),
  );
  const doc = await coll(0, "shared").findOne({ _id: "day" as never });
  expect(Object.keys(doc?.items ?? {}).sort()).toEqual(Array.from({ length: n }, (_, k) => `m${k}`).sort());
  expect(doc?.items.m7).toEqual({ v: 1, s: "from 1" });
});

test("keys that MongoDB cannot store as field names are refused before anything is written", () => {
  const w = new EntryWriter<D>(model(0, "bad"));
  expect(() => w.apply("doc", {}, "items", "a.b", { v: 1, s: "x" })).toThrow(/may not contain/);
  expect(() => w.apply("doc", {}, "items", "$a", { v: 1, s: "x" })).toThrow(/may not contain/);
});

test("entries that arrive while a document's write waits go in one write, and each caller hears when it landed", async () => {
  const written: D[] = [];
  const w = new EntryWriter<D>(model(0, "merged"), { onWritten: (d) => written.push(structuredClone(d)) });
  const all = ["a", "b", "c", "d"].map((k) => w.apply("doc", {}, "items", k, { v: 1, s: k }));
  await Promise.all(all);
  expect(written).toHaveLength(1);
  expect(Object.keys(written[0].items).sort()).toEqual(["a", "b", "c", "d"]);
  // Nothing newer: no write at all.
  await w.apply("doc", {}, "items", "a", { v: 1, s: "same version" });
  expect(written).toHaveLength(1);
  await w.idle();
});

test("a replace (a rebuild) stores the whole document, and entries applied after it still merge in unless older", async () => {
  const w = new EntryWriter<D>(model(0, "rebuilt"));
  await w.apply("doc", {}, "items", "gone", { v: 5, s: "before the rebuild" });
  const replaced = w.replace({ _id: "doc", items: { a: { v: 2, s: "rebuilt" } } });
  const newer = w.apply("doc", {}, "items", "a", { v: 3, s: "after" });
  const older = w.apply("doc", {}, "items", "b", { v: 1, s: "new key" });
  await Promise.all([replaced, newer, older]);
  expect(await coll(0, "rebuilt").findOne({ _id: "doc" as never })).toEqual({
    _id: "doc",
    items: { a: { v: 3, s: "after" }, b: { v: 1, s: "new key" } },
  });
});
