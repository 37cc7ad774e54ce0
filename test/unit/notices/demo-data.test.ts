import { generateNoticesDemo, type DemoInput } from "../../../services/notices/demo-data";
import { NOW, divisions, orgs, people, staff } from "../../support/demo-bureau";

const input: DemoInput = { now: NOW, orgs, divisions, staff };

describe("notices demo data", () => {
  const demo = generateNoticesDemo(input);

  it("when generated twice, then the data is the same", () => {
    expect(JSON.stringify(generateNoticesDemo(input))).toBe(JSON.stringify(demo));
  });

  it("keeps each reader's receipts and each notice's receipts the same, within the recipients", () => {
    const fromReaders = demo.readers.flatMap((r) => Object.keys(r.reads).map((n) => `${n}|${r._id}`)).sort();
    const fromNotices = demo.noticeReads.flatMap((n) => Object.keys(n.reads).map((s) => `${n._id}|${s}`)).sort();
    expect(fromNotices).toEqual(fromReaders);
    const notices = new Map(demo.notices.map((n) => [n._id, n]));
    for (const n of demo.noticeReads)
      for (const [s, at] of Object.entries(n.reads)) {
        expect(notices.get(n._id)!.recipients).toContain(s);
        expect(at.getTime()).toBeGreaterThanOrEqual(notices.get(n._id)!.publishedAt.getTime());
      }
    expect(demo.notices.filter((n) => n.scope.type === "bureau")[0].recipients).toHaveLength(staff.length);
    const unreadForStaff = demo.notices.filter(
      (n) => n.recipients.includes(people.staff) && !demo.readers.find((r) => r._id === people.staff)?.reads[n._id],
    );
    expect(unreadForStaff.length).toBeGreaterThan(0);
  });
});
