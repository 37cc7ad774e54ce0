/** Shared look-ups: the signed-in user, organisations and divisions (cached for the session). */
import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { AuthUser } from "@shared/auth";
import type { Division, OrgWithDivisions } from "@shared/contracts/personnel";
import { get } from "./api";
import { session, type Session } from "./session";

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get);
}

export function useUser(): AuthUser {
  const s = useSession();
  if (!s) throw new Error("not signed in");
  return s.user;
}

export function useOrgs() {
  return useQuery({
    queryKey: ["orgs"],
    queryFn: () => get<OrgWithDivisions[]>("/api/personnel/orgs"),
    staleTime: 60 * 60_000,
  });
}

export interface Lookup {
  orgName(id: string | null | undefined): string;
  divisionName(id: string | null | undefined): string;
  division(id: string): Division | undefined;
  orgs: OrgWithDivisions[];
}

export function useLookup(): Lookup {
  const { data = [] } = useOrgs();
  const orgs = new Map(data.map((o) => [o.id, o]));
  const divs = new Map(data.flatMap((o) => o.divisions.map((d) => [d.id, d] as const)));
  return {
    orgs: data,
    orgName: (id) => (id ? (orgs.get(id)?.shortName ?? orgs.get(id)?.name ?? id) : ""),
    divisionName: (id) => (id ? (divs.get(id)?.name ?? id) : ""),
    division: (id) => divs.get(id),
  };
}

/** Local (Asia/Shanghai) date YYYY-MM-DD. */
export function today(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(d);
}

/** The first day (YYYY-MM-DD) of the month of a YYYY-MM-DD date. */
export const firstOfMonth = (day: string): string => day.slice(0, 8) + "01";
