import { DocCache, scopeOf } from "../../../services/plans/data/doc-cache";

describe("the plans document cache", () => {
  test("when a document is read twice, then the database is asked once", async () => {
    const c = new DocCache();
    const fetch = jest.fn(async () => ({ _id: "d:x:2026", n: 1 }));
    expect(await c.get("year_plans", "d:x:2026", fetch)).toEqual({ _id: "d:x:2026", n: 1 });
    expect(await c.get("year_plans", "d:x:2026", fetch)).toEqual({ _id: "d:x:2026", n: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("when a scope was bulk-loaded, then an id of it not held is known absent without a read", async () => {
    const c = new DocCache();
    c.loaded("year_plans", "2026", [{ _id: "d:a:2026" }], c.readStarts());
    const fetch = jest.fn(async () => null);
    expect(await c.get("year_plans", "p:nobody:2026", fetch)).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
    // Another year is not covered by that load.
    await c.get("year_plans", "p:nobody:2025", fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("when this process writes a document while a read of it runs, then the write wins", async () => {
    const c = new DocCache();
    let finish: (d: { _id: string; v: number }) => void = () => undefined;
    const read = c.get("months", "d:x:2026-03", () => new Promise<{ _id: string; v: number }>((r) => (finish = r)));
    c.put("months", "d:x:2026-03", { _id: "d:x:2026-03", v: 2 } as never);
    finish({ _id: "d:x:2026-03", v: 1 });
    await read;
    expect(await c.get("months", "d:x:2026-03", async () => null)).toEqual({ _id: "d:x:2026-03", v: 2 });
  });

  test("when a bulk load began before a write, then it does not undo the write", () => {
    const c = new DocCache();
    const since = c.readStarts();
    c.put("month_status", "2026-03", { _id: "2026-03", arrangement: { a: 1 } } as never);
    c.loaded("month_status", "*", [{ _id: "2026-03" }], since);
    return expect(c.get("month_status", "2026-03", async () => null)).resolves.toEqual({
      _id: "2026-03",
      arrangement: { a: 1 },
    });
  });

  test("scopes: the year of a year plan, the month of a month document, the whole collection otherwise", () => {
    expect(scopeOf("year_plans", "d:city-budget:2026")).toBe("2026");
    expect(scopeOf("months", "p:s-00001:2026-03")).toBe("2026-03");
    expect(scopeOf("evidence", "t-2026-abc")).toBe("*");
    expect(scopeOf("tasks", "t-2026-abc")).toBe("");
  });

  test("when a year of tasks was loaded, then select answers from memory with later writes, else null", async () => {
    const c = new DocCache();
    expect(c.select("tasks", "2026", () => true)).toBeNull();
    c.loaded(
      "tasks",
      "2026",
      [
        { _id: "t1", year: 2026 },
        { _id: "t0", year: 2025 },
      ] as never[],
      c.readStarts(),
    );
    c.put("tasks", "t2", { _id: "t2", year: 2026 } as never);
    c.put("months", "t3", { _id: "t3", year: 2026 } as never);
    const ids = c.select<{ _id: string; year: number }>("tasks", "2026", (t) => t.year === 2026)!.map((t) => t._id);
    expect(ids.sort()).toEqual(["t1", "t2"]);
    expect(c.select("tasks", "2025", () => true)).toBeNull();
    // A task id outside the loaded year is not "known absent": it is read.
    expect(await c.get("tasks", "t9", async () => ({ _id: "t9" }))).toEqual({ _id: "t9" });
  });
});
