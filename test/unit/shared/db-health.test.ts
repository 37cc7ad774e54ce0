import type { Connection } from "mongoose";
import { dbAnswers } from "../../../shared/db";

/** A stand-in connection whose one model's findOne answers as `answer` says. */
function fakeConnection(answer: () => Promise<unknown>, readyState = 1) {
  const findOne = jest.fn(answer);
  const conn = {
    readyState,
    models: { Note: { collection: { collectionName: "notes" } } },
    db: { collection: () => ({ findOne }) },
  };
  return { conn: conn as unknown as Connection, findOne };
}

describe("the database health read", () => {
  test("when the read answers, then the database is up, and the read was a find with a time limit", async () => {
    const { conn, findOne } = fakeConnection(async () => null);
    await expect(dbAnswers(conn, 200)).resolves.toBe(true);
    expect(findOne).toHaveBeenCalledWith({}, { projection: { _id: 1 }, maxTimeMS: 200 });
  });

  test("when the read fails, then the database is down", async () => {
    const { conn } = fakeConnection(() => Promise.reject(new Error("connection closed")));
    await expect(dbAnswers(conn, 200)).resolves.toBe(false);
  });

  test("when the connection is not open, then the database is down without a read", async () => {
    const { conn, findOne } = fakeConnection(async () => null, 0);
    await expect(dbAnswers(conn, 200)).resolves.toBe(false);
    expect(findOne).not.toHaveBeenCalled();
  });

  test("when the read does not answer in time, then the database is down, and no second read queues behind it until it comes back", async () => {
    let answer: (v: unknown) => void = () => undefined;
    const { conn, findOne } = fakeConnection(() => new Promise((resolve) => (answer = resolve)));
    const t0 = Date.now();
    await expect(dbAnswers(conn, 100)).resolves.toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    await expect(dbAnswers(conn, 100)).resolves.toBe(false);
    expect(findOne).toHaveBeenCalledTimes(1);
    answer(null);
    await new Promise((r) => setImmediate(r));
    findOne.mockImplementation(async () => null);
    await expect(dbAnswers(conn, 100)).resolves.toBe(true);
    expect(findOne).toHaveBeenCalledTimes(2);
  });
});
