/** The demo year of documents on a small bureau: sizes, states, 文号 without gaps, and who takes part. */
import { generateDocumentsDemo } from "../../../services/documents/demo-data";
import { NOW, divisions, orgs, staff } from "../../support/demo-bureau";

const demo = generateDocumentsDemo({ now: NOW, orgs, divisions, staff });

test("about 3,000 outgoing and 6,000 incoming documents, in every state", () => {
  const out = demo.docs.filter((d) => d.kind === "outgoing");
  const inc = demo.docs.filter((d) => d.kind === "incoming");
  expect(out.length).toBe(3000);
  expect(inc.length).toBe(6000);
  const stages = new Set(demo.docs.map((d) => `${d.kind}:${d.stage}`));
  for (const s of [
    "outgoing:draft",
    "outgoing:flow",
    "outgoing:issued",
    "outgoing:archived",
    "incoming:flow",
    "incoming:done",
    "incoming:archived",
  ])
    expect(stages).toContain(s);
});

test("each sequence's numbers run 1…n once each, and each belongs to an issued document holding it", () => {
  const byKey = new Map<string, number[]>();
  for (const n of demo.numbers) {
    const parts = n._id.split("|");
    const key = parts.slice(0, 3).join("|");
    byKey.set(key, [...(byKey.get(key) ?? []), Number(parts[3])]);
  }
  for (const [key, nums] of byKey) {
    expect(nums.sort((a, b) => a - b)).toEqual(nums.map((_, i) => i + 1));
    expect(demo.counters.find((c) => c._id === key)?.last).toBe(nums.length);
  }
  const byId = new Map(demo.docs.map((d) => [d._id, d]));
  for (const n of demo.numbers) expect(byId.get(n.docId)?.number).toBe(n.number);
});

test("open tasks go to people of the organisation, some handling tasks are overdue, every 收文 points at its sender", () => {
  const orgOf = new Map(staff.map((s) => [s.id, s.orgId]));
  const open = demo.docs.flatMap((d) => d.tasks.filter((t) => t.status === "open").map((t) => ({ d, t })));
  expect(open.length).toBeGreaterThan(100);
  for (const { d, t } of open) expect(orgOf.get(t.assigneeId)).toBe(d.orgId);
  expect(open.some(({ t }) => t.dueDate && t.dueDate < "2026-11-25")).toBe(true);
  const byId = new Map(demo.docs.map((d) => [d._id, d]));
  for (const d of demo.docs.filter((x) => x.source))
    expect(byId.get(d.source!.id)?.distribution.map((r) => r.incomingId)).toContain(d._id);
});
