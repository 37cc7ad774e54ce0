/** shared/store/refreshing-cache.ts: the refreshing read cache and the row index built on it. */
import { RefreshingCache, RowIndex, keysUnder } from "../../../shared/store/refreshing-cache";

/** A loader whose calls are counted and settled by hand. */
function loader<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: Error) => void }[] = [];
  const load = jest.fn(() => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })));
  return { load, pending };
}

const flush = () => new Promise((r) => setImmediate(r));

describe("RefreshingCache", () => {
  let now = 0;
  const cache = () => new RefreshingCache({ ttlMs: 1000, now: () => now });
  beforeEach(() => (now = 0));

  test("when several readers ask for a key never loaded, then one load serves them all", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const a = c.get("k", load);
    const b = c.get("k", load);
    pending[0].resolve("v1");
    expect(await Promise.all([a, b])).toEqual(["v1", "v1"]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(await c.get("k", load)).toBe("v1");
    expect(load).toHaveBeenCalledTimes(1);
  });

  test("when a value is past its age, then it is served at once while one reload runs", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const first = c.get("k", load);
    pending[0].resolve("old");
    await first;
    now = 1500;
    expect(await c.get("k", load)).toBe("old");
    expect(await c.get("k", load)).toBe("old");
    expect(load).toHaveBeenCalledTimes(2);
    pending[1].resolve("new");
    await flush();
    expect(await c.get("k", load)).toBe("new");
  });

  test("when a key is invalidated, then it reloads now and readers keep the old value until it lands", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const first = c.get("people", load);
    pending[0].resolve("before");
    await first;
    c.invalidate((k) => k === "people");
    expect(load).toHaveBeenCalledTimes(2);
    expect(await c.get("people", load)).toBe("before");
    pending[1].resolve("after");
    await flush();
    expect(await c.get("people", load)).toBe("after");
  });

  test("when an invalidation comes while a reload is in flight, then another reload follows it", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const first = c.get("k", load);
    pending[0].resolve("v1");
    await first;
    c.invalidate(() => true); // reload 2 starts, reading data from before the change below
    c.invalidate(() => true); // the change: reload 2 may have missed it
    expect(load).toHaveBeenCalledTimes(2);
    pending[1].resolve("v2-stale");
    await flush();
    expect(load).toHaveBeenCalledTimes(3);
    pending[2].resolve("v3");
    await flush();
    expect(await c.get("k", load)).toBe("v3");
  });

  test("when a first load fails, then the error reaches the reader and the next read loads again", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const first = c.get("k", load);
    pending[0].reject(new Error("down"));
    await expect(first).rejects.toThrow("down");
    const second = c.get("k", load);
    pending[1].resolve("v");
    expect(await second).toBe("v");
  });

  test("when a background reload fails, then the old value stays and the error is reported", async () => {
    const errors: string[] = [];
    const c = new RefreshingCache({
      ttlMs: 1000,
      now: () => now,
      onError: (k, e) => errors.push(`${k}: ${e.message}`),
    });
    const { load, pending } = loader<string>();
    const first = c.get("k", load);
    pending[0].resolve("kept");
    await first;
    c.invalidate(() => true);
    pending[1].reject(new Error("down"));
    await flush();
    expect(errors).toEqual(["k: down"]);
    expect(await c.get("k", load)).toBe("kept");
  });

  test("when a read names its own age, then that age decides the reload", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const first = c.get("short", load, 100);
    pending[0].resolve("v");
    await first;
    now = 150;
    await c.get("short", load, 100);
    expect(load).toHaveBeenCalledTimes(2);
  });

  test("when entries are forgotten, then their next reader waits for a fresh load, and the others stay", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    expect(["policies", "policies:o1", "policiesX", "staff"].filter(keysUnder(["policies"]))).toEqual([
      "policies",
      "policies:o1",
    ]);
    const a = c.get("policies:o1", load);
    const b = c.get("staff", load);
    pending[0].resolve("old policy");
    pending[1].resolve("staff");
    await Promise.all([a, b]);
    expect(c.peek("policies:o1")).toBe("old policy");
    c.forget(keysUnder(["policies"]));
    expect(c.peek("policies:o1")).toBeUndefined();
    const fresh = c.get("policies:o1", load);
    pending[2].resolve("new policy");
    expect(await fresh).toBe("new policy");
    expect(await c.get("staff", load)).toBe("staff");
    expect(load).toHaveBeenCalledTimes(3);
  });

  test("when a load in flight is overtaken by a forget, then its result is not kept", async () => {
    const c = cache();
    const { load, pending } = loader<string>();
    const stale = c.get("k", load);
    c.forget(() => true);
    const fresh = c.get("k", load);
    pending[1].resolve("after the change");
    pending[0].resolve("before the change");
    expect(await stale).toBe("before the change");
    expect(await fresh).toBe("after the change");
    expect(await c.get("k", load)).toBe("after the change");
  });
});

describe("RowIndex", () => {
  interface Row {
    _id: string;
    status: string;
  }

  function rows(initial: Row[]) {
    const db = new Map(initial.map((r) => [r._id, r]));
    const loadAll = jest.fn(async () => [...db.values()]);
    const loadOne = jest.fn(async (id: string) => db.get(id) ?? null);
    return { db, loadAll, loadOne };
  }

  test("all rows load once; this process's writes and other replicas' changes patch single rows", async () => {
    const { db, loadAll, loadOne } = rows([{ _id: "a", status: "draft" }]);
    const index = new RowIndex<Row>(loadAll, loadOne);
    expect(await index.all()).toEqual([{ _id: "a", status: "draft" }]);
    index.set({ _id: "b", status: "submitted" });
    db.set("a", { _id: "a", status: "approved" });
    await index.refresh("a");
    db.delete("b");
    await index.refresh("b");
    expect(await index.all()).toEqual([{ _id: "a", status: "approved" }]);
    expect(loadAll).toHaveBeenCalledTimes(1);
    expect(loadOne).toHaveBeenCalledTimes(2);
  });

  test("before the first load, a change heard is not read (the load will read it); a clear loads afresh", async () => {
    const { db, loadAll, loadOne } = rows([{ _id: "a", status: "draft" }]);
    const index = new RowIndex<Row>(loadAll, loadOne);
    await index.refresh("a");
    index.set({ _id: "x", status: "ignored" });
    expect(loadOne).not.toHaveBeenCalled();
    expect(await index.all()).toEqual([{ _id: "a", status: "draft" }]);
    db.set("c", { _id: "c", status: "new" });
    index.clear();
    expect((await index.all()).map((r) => r._id)).toEqual(["a", "c"]);
    expect(loadAll).toHaveBeenCalledTimes(2);
  });
});
