import { canonicalJson, diffResults, pack, sha256, unpack } from "../../../services/assessment/snapshot";
import { checkRecord, normalizeDate, parseCsv, validateLearningRows } from "../../../services/assessment/learning";
import { checkScheme, DEFAULT_SCHEME } from "../../../services/assessment/scheme";
import {
  attendanceMonths,
  attendanceOf,
  decodeKey,
  encodeKey,
  monthCount,
} from "../../../services/assessment/counters";

const lookup = {
  staff: (id: string) => (id === "s-1" ? { name: "张三", orgId: "c1", divisionId: "d1" } : undefined),
  mayRecordFor: (orgId: string) => orgId === "c1",
};

describe("learning imports", () => {
  test("when a CSV has quotes, CRLF and a BOM, then it is read cell by cell", () => {
    const csv = '\uFEFF记录编号,工号,课程名称\r\nA-1,s-1,"公文写作, ""实务"""\r\n\r\n';
    const { headers, rows } = parseCsv(Buffer.from(csv));
    expect(headers).toEqual(["记录编号", "工号", "课程名称"]);
    expect(rows).toEqual([
      {
        row: 2,
        cells: new Map([
          ["记录编号", "A-1"],
          ["工号", "s-1"],
          ["课程名称", '公文写作, "实务"'],
        ]),
      },
    ]);
  });

  test("when a CSV is in GB18030 (as Excel saves it in China), then it is decoded", () => {
    const gbk = Buffer.from([0xb9, 0xa4, 0xba, 0xc5, 0x0a, 0x73, 0x2d, 0x31]); // "工号\ns-1"
    expect(parseCsv(gbk).headers).toEqual(["工号"]);
  });

  test("when rows are checked, then each bad cell is named by row and column, and duplicates are caught", () => {
    const row = (n: number, cells: string[]) => ({
      row: n,
      cells: new Map(["记录编号", "工号", "学习日期", "学时", "课程名称"].map((h, i) => [h, cells[i]])),
    });
    const headers = ["记录编号", "工号", "学习日期", "学时", "课程名称"];
    const r = validateLearningRows(
      headers,
      [row(2, ["A-1", "s-1", "2026/3/5", "2", "课程"]), row(3, ["A-1", "s-1", "2026-13-01", "0", ""])],
      lookup,
    );
    expect(r.records).toEqual([
      { recordId: "A-1", staffId: "s-1", date: "2026-03-05", hours: 2, course: "课程", orgId: "c1", divisionId: "d1" },
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "学习日期"],
      [3, "学时"],
      [3, "课程名称"],
      [3, "记录编号"],
    ]);
    expect(validateLearningRows(["工号"], [], lookup).errors.map((e) => e.column)).toEqual([
      "记录编号",
      "学习日期",
      "学时",
      "课程名称",
    ]);
  });

  test("when a record is for another organisation's staff, then it is refused", () => {
    const out = checkRecord(
      { recordId: "x", staffId: "s-1", date: "2026-01-01", hours: 1, course: "c" },
      { ...lookup, mayRecordFor: () => false },
    );
    expect(out.errors.map((e) => e.key)).toEqual(["staffId"]);
    expect(normalizeDate("2026年3月5日")).toBe("2026-03-05");
  });
});

describe("snapshots", () => {
  test("when two objects hold the same data in another key order, then their canonical JSON and hash agree", () => {
    const a = { b: [1, { y: 2, x: null }], a: "明白" };
    const b = { a: "明白", b: [1, { x: null, y: 2 }] };
    expect(canonicalJson(a)).toBe('{"a":"明白","b":[1,{"x":null,"y":2}]}');
    expect(sha256(canonicalJson(a))).toBe(sha256(canonicalJson(b)));
    expect(unpack(pack(canonicalJson(a)))).toBe(canonicalJson(a));
  });

  test("when a re-run differs, then the diff lists scores, grades and items that moved", () => {
    const staff = (score: number, grade: string) => [
      { staffId: "s-1", name: "张三", score, grade, rank: 1, items: [{ item: "learning", score }] },
    ];
    const frozen = { scheme: DEFAULT_SCHEME, orgs: [], divisions: [], staff: staff(80, "competent") } as never;
    const now = { scheme: DEFAULT_SCHEME, orgs: [], divisions: [], staff: staff(90, "excellent") } as never;
    expect(diffResults(frozen, frozen)).toEqual({ changes: [], total: 0 });
    expect(diffResults(frozen, now).changes.map((c) => [c.field, c.frozen, c.current])).toEqual([
      ["score", 80, 90],
      ["grade", "competent", "excellent"],
      ["items.learning", 80, 90],
    ]);
  });
});

describe("schemes and counters", () => {
  test("when the default scheme is checked, then it passes; bad lines are named", () => {
    expect(checkScheme(DEFAULT_SCHEME)).toEqual([]);
    const bad = { ...DEFAULT_SCHEME, grades: { ...DEFAULT_SCHEME.grades, competentMin: 90 } };
    expect(checkScheme(bad).map((e) => e.field)).toEqual(["grades.competentMin"]);
    const zero = {
      ...DEFAULT_SCHEME,
      staffWeights: { tasks: 0, logs: 0, attendance: 0, learning: 0, information: 0, publicity: 0 },
    };
    expect(checkScheme(zero).map((e) => e.field)).toEqual(["staffWeights"]);
  });

  test("when keys hold dots or dollars, then they are stored escaped and read back", () => {
    expect(encodeKey("learn:a.b$c%d")).toBe("learn:a%2eb%24c%25d");
    expect(decodeKey(encodeKey("learn:a.b$c%d"))).toBe("learn:a.b$c%d");
  });

  test("when attendance days are counted, then each status lands in its field, month by month", () => {
    const march = monthCount({
      "01": { s: "present", v: 1 },
      "02": { s: "leave_sick", v: 1 },
      "03": { s: "absent", v: 1 },
    });
    expect(march).toEqual({ v: 3, n: { present: 1, leave_sick: 1, absent: 1 } });
    const april = monthCount({ "01": { s: "present", v: 5 }, "02": { s: "present", v: 5 } });
    expect(attendanceOf({ "03": march, "04": april })).toEqual({
      recorded: 5,
      present: 3,
      absent: 1,
      leavePersonal: 0,
      leaveSick: 1,
      leaveAnnual: 0,
      businessTrip: 0,
      training: 0,
    });
  });

  test("when a day is corrected with a newer write, then the month's revision rises, and a repeat leaves it", () => {
    const before = monthCount({ "01": { s: "present", v: 100 }, "02": { s: "absent", v: 100 } });
    const after = monthCount({ "01": { s: "present", v: 100 }, "02": { s: "present", v: 200 } });
    expect(after.v).toBeGreaterThan(before.v);
    expect(monthCount({ "01": { s: "present", v: 100 }, "02": { s: "present", v: 200 } })).toEqual(after);
  });

  test("when an attendance event spans people and months, then its days are grouped per (person, month)", () => {
    const groups = attendanceMonths({
      at: "2026-03-31T02:00:00.000Z",
      entries: [
        { staffId: "s-1", orgId: "city", divisionId: "d", date: "2026-03-30", status: "present" },
        { staffId: "s-1", orgId: "city", divisionId: "d", date: "2026-03-31", status: "absent" },
        { staffId: "s-1", orgId: "city", divisionId: "d", date: "2026-04-01", status: "present" },
        { staffId: "s-2", orgId: "city", divisionId: "d", date: "2026-03-30", status: "training" },
      ],
    });
    const v = Date.parse("2026-03-31T02:00:00.000Z");
    expect(groups).toEqual([
      {
        docId: "s-1|2026|03",
        staffId: "s-1",
        year: 2026,
        month: 3,
        days: [
          { key: "30", entry: { s: "present", v } },
          { key: "31", entry: { s: "absent", v } },
        ],
      },
      { docId: "s-1|2026|04", staffId: "s-1", year: 2026, month: 4, days: [{ key: "01", entry: { s: "present", v } }] },
      {
        docId: "s-2|2026|03",
        staffId: "s-2",
        year: 2026,
        month: 3,
        days: [{ key: "30", entry: { s: "training", v } }],
      },
    ]);
  });
});
