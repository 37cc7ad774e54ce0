/** A small bureau (the city and two counties, four divisions each, four staff a division) for the demo-data generators. */
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";

export const NOW = new Date("2026-11-25T04:00:00Z");
export const orgs = [
  { id: "city", name: "张家口市财政局", shortName: "市局" },
  { id: "zhangbei", name: "张北县财政局", shortName: "张北县" },
  { id: "kangbao", name: "康保县财政局", shortName: "康保县" },
];
export const divisions = orgs.flatMap((o) =>
  ["leadership", "office", "budget", "treasury"].map((kind) => ({
    id: `${o.id}-${kind}`,
    orgId: o.id,
    name: kind,
    kind,
  })),
);
export const staff: DirectoryEntry[] = divisions.flatMap((d) =>
  [0, 1, 2, 3].map((i) => ({
    id: `${d.id}-s${i}`,
    name: `${d.id}${i}`,
    orgId: d.orgId,
    divisionId: d.id,
    postId: null,
    phone: null,
    status: "active" as const,
    isDivisionHead: i === 0,
  })),
);
export const people: DemoPeople = {
  staff: "city-budget-s3",
  county_admin: "zhangbei-office-s2",
  division_head: "city-budget-s0",
  hr_admin: "city-office-s1",
  leader: "city-leadership-s0",
  sys_admin: "city-treasury-s1",
};
