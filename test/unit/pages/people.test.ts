import type { AuthUser, Role } from "../../../shared/auth";
import type { AttendanceMonthResult, Post, StaffView } from "../../../shared/contracts/personnel";
import { attendanceCounts, forViewer, indexPeople, profileOf, seesAttendance } from "../../../services/pages/people";

const person = (id: string, divisionId: string, extra: Partial<StaffView> = {}): StaffView => ({
  id,
  name: `名${id}`,
  namePinyin: "",
  nameInitials: "",
  gender: "male",
  education: "本科",
  politicalStatus: "群众",
  title: "科员",
  orgId: divisionId.split("-")[0],
  divisionId,
  postId: null,
  hireDate: "2010-01-01",
  status: "active",
  ageBand: "36-45岁",
  version: 1,
  phone: "13800000000",
  birthDate: "1985-01-01",
  age: 41,
  ...extra,
});

const post = (id: string, divisionId: string, order: number, a: string | null, b: string | null): Post => ({
  id,
  orgId: divisionId.split("-")[0],
  divisionId,
  title: `岗${id}`,
  responsibilities: "",
  isHead: false,
  aHolderId: a,
  bHolderId: b,
  order,
});

const user = (roles: Role[], orgId = "city", divisionId = "city-budget", staffId = "s9"): AuthUser => ({
  accountId: "a",
  sessionId: "s",
  staffId,
  name: "x",
  orgId,
  divisionId,
  roles,
});

describe("the pages' staff copy", () => {
  const people = indexPeople(
    [
      person("s3", "city-budget"),
      person("s1", "city-budget", { postId: "p1" }),
      person("s2", "city-budget", { postId: "p2" }),
      person("s4", "city-budget", { status: "retired" }),
      person("s5", "city-treasury"),
    ],
    [
      post("p2", "city-budget", 2, "s2", "s3"),
      post("p1", "city-budget", 1, "s1", "s3"),
      post("p3", "city-x", 1, null, "s4"),
    ],
  );

  test("when a division's members are asked for, then the active ones come in id order", () => {
    expect(people.members.get("city-budget")!.map((s) => s.id)).toEqual(["s1", "s2", "s3"]);
    expect(people.members.get("city-treasury")!.map((s) => s.id)).toEqual(["s5"]);
  });

  test("when a post holder's profile is built, then the B holder is their backup", () => {
    expect(profileOf(people, "s1")).toMatchObject({
      backedUpBy: { postId: "p1", postTitle: "岗p1", person: { staffId: "s3", name: "名s3" } },
      backsUp: [],
    });
  });

  test("when a backup's profile is built, then it lists the posts they back up in post order", () => {
    expect(profileOf(people, "s3")!.backsUp).toEqual([
      { postId: "p1", postTitle: "岗p1", person: { staffId: "s1", name: "名s1" } },
      { postId: "p2", postTitle: "岗p2", person: { staffId: "s2", name: "名s2" } },
    ]);
    expect(profileOf(people, "s3")!.backedUpBy).toBeNull();
  });

  test("when a post has no A holder, then the relation names nobody", () => {
    expect(profileOf(people, "s4")!.backsUp).toEqual([{ postId: "p3", postTitle: "岗p3", person: null }]);
  });

  test("when the id is unknown, then no profile", () => {
    expect(profileOf(people, "nobody")).toBeNull();
  });
});

describe("what a viewer sees", () => {
  const s = person("s1", "city-budget");

  test("when HR of the same organisation or a city-wide role looks, then the personal fields stay", () => {
    expect(forViewer(s, { user: user(["hr_admin"]) })).toHaveProperty("phone", "13800000000");
    expect(forViewer(s, { user: user(["leader"], "zhangbei") })).toHaveProperty("birthDate");
    expect(forViewer(s, { system: true })).toHaveProperty("age", 41);
  });

  test("when staff, a division head or another county's admin looks, then phone, birth date and age go", () => {
    for (const u of [user(["staff"]), user(["division_head"]), user(["county_admin"], "zhangbei")]) {
      const seen = forViewer(s, { user: u });
      for (const f of ["phone", "birthDate", "age"]) expect(seen).not.toHaveProperty(f);
      expect(seen.name).toBe("名s1");
    }
    expect(s).toHaveProperty("phone");
  });

  test("when attendance is asked for, then the head, the org's admins and the person see it, others do not", () => {
    expect(seesAttendance({ user: user(["division_head"]) }, "city", "city-budget")).toBe(true);
    expect(seesAttendance({ user: user(["division_head"], "city", "city-hr") }, "city", "city-budget")).toBe(false);
    expect(seesAttendance({ user: user(["county_admin"], "zhangbei") }, "city", "city-budget")).toBe(false);
    expect(seesAttendance({ user: user(["staff"]) }, "city", "city-budget", "s1")).toBe(false);
    expect(seesAttendance({ user: user(["staff"], "city", "city-budget", "s1") }, "city", "city-budget", "s1")).toBe(
      true,
    );
    expect(seesAttendance({}, "city", "city-budget")).toBe(false);
  });

  test("when counts are picked from an organisation's month, then by person or by division", () => {
    const counts = (present: number) => ({
      present,
      leave_personal: 0,
      leave_sick: 0,
      leave_annual: 0,
      business_trip: 0,
      training: 0,
      absent: 0,
      notRecorded: 0,
    });
    const month: AttendanceMonthResult = {
      year: 2026,
      month: 3,
      workingDays: ["2026-03-02"],
      people: [{ staffId: "s1", name: "x", divisionId: "city-budget", days: {}, counts: counts(1) }],
      divisions: [{ divisionId: "city-budget", people: 1, counts: counts(1) }],
    };
    expect(attendanceCounts(month, { staffId: "s1" })).toEqual(counts(1));
    expect(attendanceCounts(month, { divisionId: "city-budget" })).toEqual(counts(1));
    expect(attendanceCounts(month, { staffId: "s2" })).toBeUndefined();
  });
});
