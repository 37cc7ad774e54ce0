import { WorkCalendar } from "../../../shared/calendar";
import { ageBand, ageOn } from "../../../shared/time";
import { nameKeys, nameQuery, escapeRegex } from "../../../services/personnel/search";
import { checkStaffFields, normalizePhone, staffView } from "../../../services/personnel/staff-rules";
import { lastMonths, workingDaysOfMonth, yearsBefore } from "../../../services/personnel/calendar";
import { countDays, staffStats } from "../../../services/personnel/stats";
import type { StaffDoc } from "../../../services/personnel/personnel.types";

describe("age and age band", () => {
  test("when the birthday has not come yet this year, then the age is one less", () => {
    expect(ageOn("1990-06-15", "2026-06-14")).toBe(35);
    expect(ageOn("1990-06-15", "2026-06-15")).toBe(36);
  });

  test("when ages sit on band edges, then 35 and 36, 45 and 46, 55 and 56 fall in different bands", () => {
    expect([35, 36, 45, 46, 55, 56].map(ageBand)).toEqual([
      "35岁及以下",
      "36-45岁",
      "36-45岁",
      "46-55岁",
      "46-55岁",
      "56岁及以上",
    ]);
  });

  test("when shifting a date back by years, then 29 February falls back to 28 February", () => {
    expect(yearsBefore("2024-02-29", 1)).toBe("2023-02-28");
    expect(yearsBefore("2026-11-25", 36)).toBe("1990-11-25");
  });
});

describe("pinyin search keys", () => {
  test("when a name is stored, then full pinyin has no tones or spaces and initials follow", () => {
    expect(nameKeys("张晓明")).toEqual({ namePinyin: "zhangxiaoming", nameInitials: "zxm" });
    expect(nameKeys("吕丽")).toEqual({ namePinyin: "lvli", nameInitials: "ll" });
  });

  test("when a surname has a special reading, then the surname reading is used", () => {
    expect(nameKeys("曾伟").namePinyin).toBe("zengwei");
    expect(nameKeys("单芳").namePinyin).toBe("shanfang");
  });

  test("when the query is Latin, then it matches pinyin anywhere or the start of the initials", () => {
    expect(nameQuery(" Zhang Xiao ")).toEqual({
      $or: [{ namePinyin: { $regex: "zhangxiao" } }, { nameInitials: { $regex: "^zhangxiao" } }],
    });
  });

  test("when the query has regex characters, then they are escaped", () => {
    expect(nameQuery("王.*")).toEqual({ name: { $regex: "王\\.\\*" } });
    expect(escapeRegex("a+b(c)[d]$^")).toBe("a\\+b\\(c\\)\\[d\\]\\$\\^");
    expect(nameQuery("   ")).toBeNull();
  });
});

describe("staff field checks", () => {
  test("when phones are mainland mobiles bare or with +86, then they normalise to 11 digits", () => {
    expect(normalizePhone("13912345678")).toBe("13912345678");
    expect(normalizePhone("+86 139-1234-5678")).toBe("13912345678");
    expect(normalizePhone("12912345678")).toBeNull();
    expect(normalizePhone("1391234567")).toBeNull();
    expect(normalizePhone("+1 3912345678")).toBeNull();
  });

  test("when dates are impossible or out of order, then each field is named", () => {
    const errors = checkStaffFields(
      { birthDate: "1990-02-30", hireDate: "2030-01-01", phone: "123", education: "小学", name: "A" },
      "2026-11-25",
    );
    expect(errors.map((e) => e.field).sort()).toEqual(["birthDate", "education", "hireDate", "name", "phone"]);
    expect(checkStaffFields({ birthDate: "1990-01-01", hireDate: "1989-01-01" }, "2026-11-25")[0].field).toBe(
      "hireDate",
    );
    expect(checkStaffFields({ birthDate: "2020-01-01" }, "2026-11-25")[0].field).toBe("birthDate");
    expect(checkStaffFields({ name: "欧阳明月", phone: "", birthDate: "1990-01-01" }, "2026-11-25")).toEqual([]);
  });

  test("when a viewer may not see personal fields, then phone, birth date and age are absent but the age band stays", () => {
    const doc = { _id: "s-1", name: "王芳", birthDate: "1980-03-01", phone: "13800000000", orgId: "city" } as StaffDoc;
    const pub = staffView(doc, "2026-11-25", false);
    expect(pub).not.toHaveProperty("phone");
    expect(pub).not.toHaveProperty("birthDate");
    expect(pub).not.toHaveProperty("age");
    expect(pub.ageBand).toBe("46-55岁");
    expect(staffView(doc, "2026-11-25", true)).toMatchObject({
      phone: "13800000000",
      birthDate: "1980-03-01",
      age: 46,
    });
  });
});

describe("calendar and counting", () => {
  test("when a month has a holiday, then its working days leave it out and stop at today", () => {
    const cal = new WorkCalendar();
    const oct = workingDaysOfMonth(cal, 2026, 10);
    expect(oct).not.toContain("2026-10-01");
    expect(workingDaysOfMonth(cal, 2026, 11, "2026-11-04")).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"]);
    expect(workingDaysOfMonth(cal, 2026, 12, "2026-11-25")).toEqual([]);
  });

  test("when asking for the last 12 months, then they run oldest first across a year boundary", () => {
    const m = lastMonths("2026-02-10", 12);
    expect(m[0]).toEqual({ year: 2025, month: 3 });
    expect(m[11]).toEqual({ year: 2026, month: 2 });
  });

  test("when counting days, then unrecorded working days count as notRecorded", () => {
    const c = countDays({ "02": "present", "03": "leave_sick" }, ["2026-11-02", "2026-11-03", "2026-11-04"]);
    expect(c).toMatchObject({ present: 1, leave_sick: 1, notRecorded: 1, absent: 0 });
  });

  test("when computing staff statistics, then every dimension sums to the total", () => {
    const rows = [
      { orgId: "city", divisionId: "city-hr", education: "本科", birthDate: "1995-01-01" },
      { orgId: "city", divisionId: "city-hr", education: "研究生-硕士", birthDate: "1970-01-01" },
      { orgId: "zhangbei", divisionId: "zhangbei-budget", education: "本科", birthDate: "1985-06-01" },
    ];
    const st = staffStats(rows, "2026-11-25");
    expect(st).toMatchObject({ total: 3, byOrg: { city: 2, zhangbei: 1 }, byDivision: { "city-hr": 2 } });
    expect(st.byEducation).toMatchObject({ 本科: 2, "研究生-硕士": 1, 大专: 0 });
    expect(st.byAgeBand).toEqual({ "35岁及以下": 1, "36-45岁": 1, "46-55岁": 0, "56岁及以上": 1 });
  });
});
