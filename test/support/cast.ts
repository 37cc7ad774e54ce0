/**
 * The people an integration test acts as: their staff records (filled in by the test's set-up),
 * the signed-in user each one is, and calls made as them or as the system.
 */
import type { ServiceBroker } from "moleculer";
import type { AuthUser, Role } from "../../shared/auth";
import type { StaffView } from "../../shared/contracts/personnel";
import { SYSTEM } from "./broker";

export function castOf<W extends string>(broker: () => ServiceBroker, roles: Record<W, Role[]>) {
  const staff = {} as Record<W, StaffView>;
  const user = (w: W): AuthUser => ({
    accountId: `acc-${staff[w].id}`,
    sessionId: `sess-${staff[w].id}`,
    staffId: staff[w].id,
    name: staff[w].name,
    orgId: staff[w].orgId,
    divisionId: staff[w].divisionId,
    roles: roles[w],
  });
  const call = <T = any>(action: string, params: object, w?: W): Promise<T> =>
    broker().call(action, params, w ? { meta: { user: user(w) } } : SYSTEM) as Promise<T>;
  return { staff, user, call };
}

/** The error a call fails with; fails the test if it succeeds. */
export async function rejection(p: Promise<unknown>): Promise<{ code: number; type: string; data: any }> {
  try {
    await p;
  } catch (err) {
    return err as { code: number; type: string; data: any };
  }
  throw new Error("expected the call to fail");
}
