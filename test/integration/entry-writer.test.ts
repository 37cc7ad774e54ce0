/**
 * shared/entry-writer.ts (DocWriter) on the real FerretDB and Redis: versioned entries never go back, and
 * writers in two "replicas" (two instances, two connections) lose nothing when their writes to one
 * document overlap — the case FerretDB gets wrong for plain concurrent updates.
 */
import { useTestNamespace } from "../support/broker";
useTestNamespace();

import mongoose, { Schema, type Connection } from "mongoose";
import { config } from "../../shared/config";
import { dbName } from "../../shared/db";
import { DocWriter } from "../../shared/entry-writer";
import { closeRedis } from "../../shared/redis";

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
  const w = new DocWriter<D>(model(0, "versions"));
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
  const writers = [0, 1].map((i) => new DocWriter<D>(model(i, "shared"), { lockPrefix: "ew:" }));
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
  const w = new DocWriter<D>(model(0, "bad"));
  expect(() => w.apply("doc", {}, "items", "a.b", { v: 1, s: "x" })).toThrow(/may not contain/);
  expect(() => w.apply("doc", {}, "items", "$a", { v: 1, s: "x" })).toThrow(/may not contain/);
});
