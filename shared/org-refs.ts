/** Organisations and divisions as other services keep them from personnel, cached for a minute (they change rarely). */
import type { ServiceBroker } from "moleculer";
import { call } from "./contracts/actions";

export interface OrgRefs {
  orgs: Map<string, { id: string; name: string; shortName: string; order: number }>;
  divisions: Map<string, { id: string; orgId: string; name: string; order: number; kind: string }>;
  loadedAt: number;
}

const ORG_REFS_TTL_MS = 60_000;

/** `cached` while it is younger than a minute, else the organisations and divisions loaded anew from personnel. */
export async function orgRefs(broker: ServiceBroker, cached: OrgRefs | null): Promise<OrgRefs> {
  if (cached && Date.now() - cached.loadedAt < ORG_REFS_TTL_MS) return cached;
  const orgs = await call(broker, "personnel.orgs.list", {}, { meta: { system: true } });
  return {
    orgs: new Map(orgs.map((o) => [o.id, { id: o.id, name: o.name, shortName: o.shortName, order: o.order }])),
    divisions: new Map(
      orgs.flatMap((o) =>
        o.divisions.map(
          (d) => [d.id, { id: d.id, orgId: d.orgId, name: d.name, order: d.order, kind: d.kind }] as const,
        ),
      ),
    ),
    loadedAt: Date.now(),
  };
}
