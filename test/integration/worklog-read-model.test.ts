/**
 * The compliance read model on the real MongoDB-compatible server: duplicate and out-of-order
 * changes count once, a date moved to another month leaves a tombstone, concurrent writes to one
 * bucket all land (FerretDB 1.24 loses concurrent updates to one document, so they are queued).
 */
import { randomBytes } from "node:crypto";
import mongoose, { type Connection } from "mongoose";
import { registerModels, type Models } from "../../services/worklog/worklog.model";
import { BucketWriter, factsOf, readBuckets, recordLog, type LogFacts } from "../../services/worklog/read-model";

let db: Connection;
let m: Models;
let w: BucketWriter;

beforeAll(async () => {
  db = await mongoose
    .createConnection(process.env.MONGO_URL ?? "mongodb://127.0.0.1:27017/", {
      dbName: `t${randomBytes(4).toString("hex")}_wrm`,
    })
    .asPromise();
  m = registerModels(db);
  w = new BucketWriter(m.Bucket);
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
});

const log = (id: string, extra: Partial<LogFacts> = {}): LogFacts => ({
  _id: id.padStart(24, "0"),
  kind: "personal",
  authorStaffId: "s-1",
  orgId: "yuxian",
  date: "2026-02-10",
  late: false,
  version: 1,
  ...extra,
});

const facts = async (months = ["2026-01", "2026-02", "2026-03"]) =>
  factsOf(await readBuckets(m.Bucket, ["yuxian"], months), "2026-01-01", "2026-03-31");

test("when the same publication is recorded twice, then it counts once", async () => {
  await recordLog(w, log("a1"));
  await recordLog(w, log("a1"));
  expect((await facts()).filter((f) => f.date === "2026-02-10")).toEqual([
    { kind: "personal", subject: "s-1", date: "2026-02-10", count: 1, onTime: 1 },
  ]);
});

test("when a withdrawal arrives before a duplicate of the older publication, then the log stays withdrawn", async () => {
  await recordLog(w, log("b1", { date: "2026-02-11" }));
  await recordLog(w, log("b1", { date: "2026-02-11", version: 2 }), { removed: true });
  await recordLog(w, log("b1", { date: "2026-02-11" }));
  expect((await facts()).filter((f) => f.date === "2026-02-11")).toEqual([]);
});

test("when an edit moves a log to the previous month, then the old month keeps a tombstone and the new one counts it", async () => {
  await recordLog(w, log("c1", { date: "2026-03-02" }));
  await recordLog(w, log("c1", { date: "2026-02-27", version: 2, late: true }), { previousDate: "2026-03-02" });
  await recordLog(w, log("c1", { date: "2026-02-27", version: 2, late: true }), { previousDate: "2026-03-02" });
  const all = await facts();
  expect(all.filter((f) => f.date === "2026-03-02")).toEqual([]);
  expect(all.filter((f) => f.date === "2026-02-27")).toEqual([
    { kind: "personal", subject: "s-1", date: "2026-02-27", count: 1, onTime: 0 },
  ]);
});

test("when many logs of a new month are recorded at once, then every one lands in the one bucket", async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => recordLog(w, log(`d${i}`, { authorStaffId: `s-${i}`, date: "2026-01-15" }))),
  );
  const jan = (await facts(["2026-01"])).filter((f) => f.date === "2026-01-15");
  expect(jan.length).toBe(20);
  expect(await m.Bucket.countDocuments({ _id: "yuxian|2026-01" })).toBe(1);
});
