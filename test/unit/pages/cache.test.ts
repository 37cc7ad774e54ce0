import { RefreshingCache } from "../../../services/pages/cache";

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
});
