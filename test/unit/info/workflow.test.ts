import type { InfoDoc, PublicityDoc } from "../../../services/info/data/models";
import {
  applyInfoStep,
  applyPublicityStep,
  authorEntry,
  infoAllowed,
  infoNotification,
  publicityAllowed,
  publicityNotification,
  type Points,
} from "../../../services/info/workflow";
import type { Actor } from "../../../shared/office";

const POINTS: Points = {
  information: { city: 1, province: 3, national: 5 },
  publicity: { county: 0.5, city: 1, province: 3, national: 5 },
};
const author: Actor = { user: null, system: false, staffId: "s-1", name: "作者", officeOf: null };
const countyOffice: Actor = { user: null, system: false, staffId: "s-2", name: "县办", officeOf: "zhangbei" };
const cityOffice: Actor = { user: null, system: false, staffId: "s-3", name: "市办", officeOf: "city" };
const T0 = new Date("2026-03-10T02:00:00Z");
const day = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);

function draft(orgId = "zhangbei"): InfoDoc {
  return {
    _id: "ir-1",
    title: "标题",
    body: "正文",
    category: null,
    status: "draft",
    stage: null,
    authorStaffId: "s-1",
    authorName: "作者",
    orgId,
    divisionId: `${orgId}-budget`,
    year: 2026,
    submittedAt: null,
    forwardedAt: null,
    reachedCity: false,
    adoption: null,
    lastComment: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    trail: [authorEntry(author, T0, "create", null, "draft")],
    fact: null,
    rev: 1,
  };
}

const submit = (d: InfoDoc, at = T0): InfoDoc => applyInfoStep(d, { action: "submit" }, author, at, POINTS, null)!;

describe("information report workflow", () => {
  it("when a county report is submitted, then it is on the county desk; a city report on the city desk", () => {
    expect(submit(draft())).toMatchObject({ status: "submitted", stage: "county", reachedCity: false, version: 2 });
    expect(submit(draft("city"))).toMatchObject({ status: "submitted", stage: "city", reachedCity: true });
  });

  it("when returned, revised and resubmitted, then it goes back to its first desk and keeps the comment", () => {
    let d = submit(draft());
    d = applyInfoStep(d, { action: "forward", comment: null }, countyOffice, day(1), POINTS, null)!;
    d = applyInfoStep(d, { action: "return", comment: "补充数据" }, cityOffice, day(2), POINTS, null)!;
    expect(d).toMatchObject({ status: "returned", stage: null, lastComment: "补充数据", reachedCity: true });
    d = submit(d, day(3));
    expect(d).toMatchObject({ status: "submitted", stage: "county", submittedAt: T0 });
    expect(d.trail.map((t) => `${t.action}:${t.toStatus}:${t.stage ?? "-"}`)).toEqual([
      "create:draft:-",
      "submit:submitted:county",
      "forward:submitted:city",
      "return:returned:city",
      "submit:submitted:county",
    ]);
  });

  it("when adopted, re-levelled and revoked, then the fact's version rises each time, its date stays, points follow the level", () => {
    let d = submit(draft());
    d = applyInfoStep(d, { action: "forward", comment: null }, countyOffice, day(1), POINTS, null)!;
    d = applyInfoStep(
      d,
      { action: "adopt", level: "city", usedIn: "刊物A", comment: null },
      cityOffice,
      day(2),
      POINTS,
      null,
    )!;
    expect(d.adoption).toMatchObject({ level: "city", points: 1, adoptedAt: day(2) });
    expect(d.fact).toMatchObject({ factId: "info:ir-1", version: 1, value: 1, date: "2026-03-12", staffId: "s-1" });
    d = applyInfoStep(
      d,
      { action: "adopt", level: "national", usedIn: "刊物B", comment: null },
      cityOffice,
      day(40),
      POINTS,
      "c1",
    )!;
    expect(d.adoption).toMatchObject({ level: "national", points: 5, adoptedAt: day(2) });
    expect(d.fact).toMatchObject({ version: 2, value: 5, level: "national", date: "2026-03-12" });
    expect(d.trail.at(-1)).toMatchObject({ commandId: "c1", factVersion: 2, points: 5 });
    d = applyInfoStep(d, { action: "revoke", comment: "重复" }, cityOffice, day(41), POINTS, null)!;
    expect(d).toMatchObject({ status: "submitted", stage: "city", adoption: null });
    expect(d.fact).toMatchObject({ version: 3, value: 0, date: "2026-03-12" });
  });

  it("when the same adoption is repeated, then nothing changes", () => {
    const d = applyInfoStep(
      submit(draft("city")),
      { action: "adopt", level: "province", usedIn: "X", comment: null },
      cityOffice,
      T0,
      POINTS,
      null,
    )!;
    expect(
      applyInfoStep(
        d,
        { action: "adopt", level: "province", usedIn: "X", comment: null },
        cityOffice,
        day(1),
        POINTS,
        null,
      ),
    ).toBeNull();
  });

  it("when a step does not fit the state, then 409 INVALID_STATE", () => {
    const d = submit(draft());
    const tries: Parameters<typeof applyInfoStep>[1][] = [
      { action: "submit" },
      { action: "adopt", level: "city", usedIn: "X", comment: null },
      { action: "revoke", comment: "x" },
    ];
    for (const step of tries)
      expect(() => applyInfoStep(d, step, cityOffice, T0, POINTS, null)).toThrow(
        expect.objectContaining({ code: 409, type: "INVALID_STATE" }),
      );
    expect(() => applyInfoStep(draft(), { action: "return", comment: "x" }, countyOffice, T0, POINTS, null)).toThrow(
      expect.objectContaining({ code: 409 }),
    );
  });

  it("when a step is applied, then the input document is left untouched", () => {
    const d = submit(draft());
    const copy = structuredClone(d);
    applyInfoStep(d, { action: "return", comment: "x" }, countyOffice, T0, POINTS, null);
    expect(d).toEqual(copy);
  });

  it("lists what each person may do on each desk", () => {
    const who = (o: Partial<{ author: boolean; reviewsCounty: boolean; reviewsCity: boolean }>) => ({
      author: false,
      reviewsCounty: false,
      reviewsCity: false,
      ...o,
    });
    expect(infoAllowed({ status: "returned", stage: null }, who({ author: true }))).toEqual(["edit", "submit"]);
    expect(infoAllowed({ status: "submitted", stage: "county" }, who({ author: true, reviewsCity: true }))).toEqual([]);
    expect(infoAllowed({ status: "submitted", stage: "county" }, who({ reviewsCounty: true }))).toEqual([
      "return",
      "forward",
    ]);
    expect(infoAllowed({ status: "submitted", stage: "city" }, who({ reviewsCity: true }))).toEqual([
      "return",
      "adopt",
    ]);
    expect(infoAllowed({ status: "adopted", stage: null }, who({ reviewsCounty: true }))).toEqual([]);
    expect(infoAllowed({ status: "adopted", stage: null }, who({ reviewsCity: true }))).toEqual(["adopt", "revoke"]);
  });

  it("tells the author of a reviewer's step, never of their own", () => {
    const d = applyInfoStep(
      submit(draft("city")),
      { action: "adopt", level: "province", usedIn: "《河北财政信息》第5期", comment: null },
      cityOffice,
      T0,
      POINTS,
      null,
    )!;
    expect(infoNotification(d, d.trail.at(-1)!)).toEqual({
      recipientStaffId: "s-1",
      kind: "notices.info.adopt",
      title: "你的信息《标题》被省级采用",
      body: "采用于《河北财政信息》第5期，计 3 分",
      link: "/info/reports/ir-1",
    });
    expect(infoNotification(d, d.trail[1])).toBeNull();
  });
});

function article(): PublicityDoc {
  return {
    _id: "pb-1",
    title: "稿件",
    outlet: "河北日报",
    outletLevel: "province",
    publishedOn: "2026-02-20",
    url: null,
    summary: null,
    authorStaffId: "s-1",
    authorName: "作者",
    orgId: "zhangbei",
    divisionId: "zhangbei-budget",
    year: 2026,
    status: "pending",
    points: null,
    verifiedAt: null,
    verifiedByName: null,
    lastComment: null,
    recordedByStaffId: "s-1",
    recordedByName: "作者",
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    trail: [authorEntry(author, T0, "record", null, "pending")],
    fact: null,
    rev: 1,
  };
}

describe("publicity workflow", () => {
  it("when verified, then points by outlet level and a fact dated the publishing day; verifying again changes nothing", () => {
    const d = applyPublicityStep(article(), { action: "verify", comment: null }, countyOffice, T0, POINTS, null)!;
    expect(d).toMatchObject({ status: "verified", points: 3, verifiedByName: "县办" });
    expect(d.fact).toEqual({
      factId: "pub:pb-1",
      version: 1,
      kind: "publicity",
      staffId: "s-1",
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      date: "2026-02-20",
      value: 3,
      label: "稿件（河北日报）",
      level: "province",
    });
    expect(applyPublicityStep(d, { action: "verify", comment: null }, countyOffice, day(1), POINTS, null)).toBeNull();
    expect(publicityNotification(d, d.trail.at(-1)!)!.body).toBe("河北日报（省级），计 3 分");
  });

  it("when revoked, then the fact is retracted at the next version; rejecting needs a pending item", () => {
    let d = applyPublicityStep(article(), { action: "verify", comment: null }, countyOffice, T0, POINTS, null)!;
    d = applyPublicityStep(d, { action: "revoke", comment: "不在范围" }, countyOffice, day(1), POINTS, null)!;
    expect(d).toMatchObject({ status: "pending", points: null, lastComment: "不在范围" });
    expect(d.fact).toMatchObject({ version: 2, value: 0 });
    d = applyPublicityStep(d, { action: "reject", comment: "缺链接" }, countyOffice, day(2), POINTS, null)!;
    expect(d.status).toBe("rejected");
    expect(() => applyPublicityStep(d, { action: "revoke", comment: "x" }, countyOffice, day(3), POINTS, null)).toThrow(
      expect.objectContaining({ code: 409 }),
    );
  });

  it("lists what owners and the office may do", () => {
    expect(publicityAllowed({ status: "pending" }, { owner: true, office: false })).toEqual(["edit"]);
    expect(publicityAllowed({ status: "pending" }, { owner: false, office: true })).toEqual([
      "edit",
      "verify",
      "reject",
    ]);
    expect(publicityAllowed({ status: "verified" }, { owner: true, office: true })).toEqual(["revoke"]);
  });
});
