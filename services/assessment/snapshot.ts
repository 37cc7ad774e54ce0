/** Frozen year-end results: canonical JSON, its sha256, compact storage, and what a re-run would change. */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { DiffEntry, SnapshotResults } from "../../shared/contracts/assessment";

/** JSON with object keys sorted at every level and no spaces: the same results, the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export const pack = (canonical: string): string => gzipSync(Buffer.from(canonical)).toString("base64");
export const unpack = (stored: string): string => gunzipSync(Buffer.from(stored, "base64")).toString();

const MAX_CHANGES = 500;

/** Differences between frozen and current results: totals, grades, ranks and item scores. */
export function diffResults(
  frozen: SnapshotResults,
  current: SnapshotResults,
): { changes: DiffEntry[]; total: number } {
  const changes: DiffEntry[] = [];
  const compare = <T extends { score: number; items: { item: string; score: number | null }[] }>(
    level: DiffEntry["level"],
    a: T[],
    b: T[],
    id: (t: T) => string,
    name: (t: T) => string,
    extra: (keyof T)[],
  ): void => {
    const now = new Map(b.map((t) => [id(t), t]));
    const before = new Set(a.map(id));
    for (const f of a) {
      const c = now.get(id(f));
      if (!c) {
        changes.push({ level, id: id(f), name: name(f), field: "present", frozen: "yes", current: null });
        continue;
      }
      for (const k of ["score", ...extra] as (keyof T)[])
        if (f[k] !== c[k])
          changes.push({
            level,
            id: id(f),
            name: name(f),
            field: String(k),
            frozen: f[k] as never,
            current: c[k] as never,
          });
      for (const item of f.items) {
        const ci = c.items.find((i) => i.item === item.item);
        if ((ci?.score ?? null) !== item.score)
          changes.push({
            level,
            id: id(f),
            name: name(f),
            field: `items.${item.item}`,
            frozen: item.score,
            current: ci?.score ?? null,
          });
      }
    }
    for (const c of b)
      if (!before.has(id(c)))
        changes.push({ level, id: id(c), name: name(c), field: "present", frozen: null, current: "yes" });
  };
  compare(
    "org",
    frozen.orgs,
    current.orgs,
    (o) => o.orgId,
    (o) => o.name,
    ["rank"],
  );
  compare(
    "division",
    frozen.divisions,
    current.divisions,
    (d) => d.divisionId,
    (d) => d.name,
    ["rank"],
  );
  compare(
    "staff",
    frozen.staff,
    current.staff,
    (s) => s.staffId,
    (s) => s.name,
    ["grade", "rank"],
  );
  return { changes: changes.slice(0, MAX_CHANGES), total: changes.length };
}
