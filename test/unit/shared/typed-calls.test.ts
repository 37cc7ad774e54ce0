/**
 * Calls between services are typed by shared/contracts/actions.ts: `npm run lint` type-checks this
 * file, so each `@ts-expect-error` below fails the lint the day the mistake it marks compiles.
 */
import type { CallingOptions } from "moleculer";
import { call } from "../../../shared/contracts/actions";

const calls: { action: string; params: unknown; opts?: CallingOptions }[] = [];
const caller = {
  async call<R>(action: string, params?: unknown, opts?: CallingOptions): Promise<R> {
    calls.push({ action, params, opts });
    return [] as R;
  },
};

test("when a service calls another, then the name, params and options go through unchanged", async () => {
  const rows = await call(caller, "personnel.staff.directory", { orgId: "org-city" }, { timeout: 5 });
  expect(rows).toEqual([]);
  expect(calls).toEqual([{ action: "personnel.staff.directory", params: { orgId: "org-city" }, opts: { timeout: 5 } }]);
});

test("a wrong action name or params shape does not compile", () => {
  const mistakes = [
    // @ts-expect-error: there is no such action
    () => call(caller, "personnel.staff.nope", {}),
    // @ts-expect-error: staff.get takes `id`, not `staffId`
    () => call(caller, "personnel.staff.get", { staffId: "s-00001" }),
    // @ts-expect-error: the year of a month is a number
    () => call(caller, "personnel.attendance.monthAll", { year: "2026", month: 3 }),
    // @ts-expect-error: the result is typed too, and a directory entry has no `staffId`
    async () => (await call(caller, "personnel.staff.directory", {}))[0].staffId,
  ];
  expect(mistakes).toHaveLength(4);
});
