/** The personnel service over real NATS and FerretDB, on the deterministic demo data. */
import { useTestNamespace, startNode, schemas, SYSTEM, waitFor } from "../support/broker";
useTestNamespace();

import ExcelJS from "exceljs";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import mongoose, { type Connection } from "mongoose";
import type { DomainEvent } from "../../shared/events";
import type { AuthUser, Role } from "../../shared/auth";
import type { ImportJob } from "../../shared/contracts/jobs";
import type {
  AttendanceImportResult,
  AttendanceMonthResult,
  CoverageResult,
  DemoPeople,
  DirectoryEntry,
  OrgWithDivisions,
  Post,
  SeedResult,
  StaffDetail,
  StaffImportJob,
  StaffListResult,
  StaffStats,
  StaffView,
} from "../../shared/contracts/personnel";
import { localDate } from "../../shared/time";
import { rejection } from "../support/cast";
import { GOOD_STAFF_ROW, STAFF_IMPORT_HEADERS } from "../support/staff-import";
import { recordWrites } from "../support/writes";

let broker: ServiceBroker;
let seed: SeedResult;
let people: DemoPeople;
const changes: DomainEvent<"personnel.staff.changed">[] = [];
const attendanceChanges: DomainEvent<"personnel.attendance.changed">[] = [];

/** Stands in for the services that keep copies of staff records and count attendance. */
const listener = {
  name: "staff-listener",
  channels: {
    "personnel.staff.changed": {
      group: "staff-listener",
      async handler(event: DomainEvent<"personnel.staff.changed">) {
        changes.push(event);
      },
    },
    "personnel.attendance.changed": {
      group: "staff-listener",
      async handler(event: DomainEvent<"personnel.attendance.changed">) {
        attendanceChanges.push(event);
      },
    },
  },
} as unknown as ServiceSchema;

const user = (roles: Role[], orgId: string, divisionId: string | null, staffId: string | null = null): AuthUser => ({
  accountId: `acc-${roles.join("-")}-${orgId}`,
  sessionId: "sess",
  staffId,
  name: "测试用户",
  orgId,
  divisionId,
  roles,
});
const HR = user(["hr_admin"], "city", "city-hr");
const STAFF = user(["staff"], "city", "city-budget");
const ZHANGBEI_ADMIN = user(["county_admin"], "zhangbei", "zhangbei-office");
const BUDGET_HEAD = user(["division_head"], "city", "city-budget");
const as = (u: AuthUser) => ({ meta: { user: u } });

// async, so that a check that throws before the action runs still arrives as a rejection
const call = async <T>(action: string, params: object, opts: object = SYSTEM): Promise<T> =>
  (await broker.call(`personnel.${action}`, params, opts)) as T;

async function xlsxBase64(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

/** Imports a staff file and follows its job to the end. */
async function importStaff(file: string, u: AuthUser): Promise<StaffImportJob> {
  const meta: Record<string, unknown> = { user: u };
  const { job } = (await broker.call("personnel.staff.import", { file }, { meta })) as { job: StaffImportJob };
  expect(meta.$statusCode).toBe(202);
  return waitFor(
    () => call<StaffImportJob>("imports.jobs.get", { id: job.id }, as(u)),
    (j) => j.state !== "running",
    60_000,
  );
}

/** Imports a month of attendance and follows its job to the end. */
async function importAttendance(
  file: string,
  year: number,
  month: number,
  u: AuthUser,
): Promise<ImportJob<AttendanceImportResult>> {
  const meta: Record<string, unknown> = { user: u };
  const { job } = (await broker.call("personnel.attendance.import", { file, year, month }, { meta })) as {
    job: ImportJob<AttendanceImportResult>;
  };
  expect(meta.$statusCode).toBe(202);
  return waitFor(
    () => call<ImportJob<AttendanceImportResult>>("imports.jobs.get", { id: job.id }, as(u)),
    (j) => j.state !== "running",
    60_000,
  );
}

/** Last month, which the demo seed filled and the start-up window holds. */
function lastMonth(): { year: number; month: number } {
  const [y, m] = localDate(new Date()).split("-").map(Number);
  return m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 };
}

async function firstStaffOf(orgId: string): Promise<StaffView> {
  const res = await call<StaffListResult>("staff.list", { orgId, limit: 1 });
  return res.rows[0];
}

beforeAll(async () => {
  broker = await startNode("personnel", [...(await schemas("personnel")), listener]);
  // Two months outside the writable window, made ahead of time as an operator would (no request
  // creates a month: see "attendance month collections"); empty of demo data.
  const svc = broker.getLocalService("personnel") as unknown as {
    ensureAttendanceMonth(year: number, month: number): Promise<void>;
  };
  await svc.ensureAttendanceMonth(2020, 3);
  await svc.ensureAttendanceMonth(2021, 6);
  seed = await call<SeedResult>("demo.seed", {});
  people = await call<DemoPeople>("demo.people", {});
}, 120_000);

afterAll(async () => {
  const svc = broker.getLocalService("personnel") as unknown as { db: { dropDatabase(): Promise<unknown> } };
  await svc.db.dropDatabase().catch(() => undefined);
  await broker.stop();
});

describe("demo data", () => {
  test("when the demo is seeded, then about 1,500 staff, their posts and a year of attendance exist", () => {
    expect(seed.seeded).toBe(true);
    expect(seed.staff).toBeGreaterThanOrEqual(1400);
    expect(seed.staff).toBeLessThanOrEqual(1650);
    expect(seed.posts).toBe(seed.staff);
    expect(seed.attendanceDocs).toBeGreaterThan((seed.staff ?? 0) * 11);
    expect(seed.ms).toBeLessThan(60_000);
    console.log(`demo seed: ${JSON.stringify(seed)}`);
  });

  test("when data exists and reset is not asked, then seeding does nothing", async () => {
    expect(await call<SeedResult>("demo.seed", {})).toEqual({ seeded: false });
  });

  test("when the demo people are asked for, then each role maps to an existing staff member of the right unit", async () => {
    const get = (role: keyof DemoPeople) => call<StaffDetail>("staff.get", { id: people[role] });
    expect((await get("hr_admin")).divisionId).toBe("city-hr");
    expect((await get("sys_admin")).divisionId).toBe("city-it");
    expect(await get("division_head")).toMatchObject({ divisionId: "city-budget", title: "处长" });
    expect((await get("county_admin")).orgId).toBe("zhangbei");
    expect((await get("staff")).divisionId).toBe("city-budget");
    expect(await get("leader")).toMatchObject({ orgId: "city", title: "局长" });
  });

  test("when demo actions are called by a signed-in user, then they are refused", async () => {
    const err = await rejection(call("demo.seed", { reset: true }, as(HR)));
    expect(err.code).toBe(403);
  });
});

describe("organisations", () => {
  test("when organisations are listed, then the city and 20 county bureaus come with their divisions", async () => {
    const orgs = await call<OrgWithDivisions[]>("orgs.list", {}, as(STAFF));
    expect(orgs).toHaveLength(21);
    expect(orgs[0]).toMatchObject({ id: "city", name: "张家口市财政局", kind: "city", parentId: null });
    const city = orgs[0];
    expect(city.divisions.map((d) => d.name)).toEqual(expect.arrayContaining(["人事教育处", "预算处", "信息中心"]));
    expect(city.divisions.find((d) => d.name === "预算处")?.kind).toBe("budget");
    const zhangbei = orgs.find((o) => o.id === "zhangbei");
    expect(zhangbei).toMatchObject({ name: "张北县财政局", kind: "county", parentId: "city" });
    for (const o of orgs.slice(1)) {
      const units = o.divisions.filter((d) => d.kind !== "leadership").length;
      expect(units).toBeGreaterThanOrEqual(8);
      expect(units).toBeLessThanOrEqual(11);
    }
    expect(orgs.filter((o) => o.kind === "district")).toHaveLength(4);
    expect(orgs.filter((o) => o.kind === "zone")).toHaveLength(3);
  });

  test("when divisions of an unknown organisation are asked for, then 404", async () => {
    const err = await rejection(call("divisions.list", { orgId: "nowhere" }, as(STAFF)));
    expect(err.code).toBe(404);
  });
});

describe("posts (AB岗)", () => {
  test("when a post has an A and a B holder, then each one's record shows the relation from their side", async () => {
    const posts = await call<Post[]>("posts.list", { divisionId: "city-budget" }, as(STAFF));
    const post = posts.find((p) => p.aHolderId && p.bHolderId) as Post;
    const a = await call<StaffDetail>("staff.get", { id: post.aHolderId }, as(STAFF));
    const b = await call<StaffDetail>("staff.get", { id: post.bHolderId }, as(STAFF));
    expect(a.backedUpBy).toEqual({ postId: post.id, postTitle: post.title, person: { staffId: b.id, name: b.name } });
    expect(b.backsUp).toContainEqual({
      postId: post.id,
      postTitle: post.title,
      person: { staffId: a.id, name: a.name },
    });
  });

  test("when HR assigns a new B holder, then the post and both records follow", async () => {
    const posts = await call<Post[]>("posts.list", { divisionId: "city-treasury" }, as(HR));
    const [p1, , p3] = posts;
    const newB = p3.aHolderId as string;
    const updated = await call<Post>("posts.update", { id: p1.id, bHolderId: newB }, as(HR));
    expect(updated.bHolderId).toBe(newB);
    const b = await call<StaffDetail>("staff.get", { id: newB }, as(STAFF));
    expect(b.backsUp.map((r) => r.postId)).toContain(p1.id);
  });

  test("when a county admin assigns holders of a city post, then 403 and the post is unchanged", async () => {
    const [post] = await call<Post[]>("posts.list", { divisionId: "city-debt" }, as(HR));
    const err = await rejection(call("posts.update", { id: post.id, bHolderId: null }, as(ZHANGBEI_ADMIN)));
    expect(err.code).toBe(403);
    const [after] = await call<Post[]>("posts.list", { divisionId: "city-debt" }, as(HR));
    expect(after).toEqual(post);
  });

  test("when the A and B holders are the same person, then 422", async () => {
    const [post] = await call<Post[]>("posts.list", { divisionId: "city-finance" }, as(HR));
    const err = await rejection(call("posts.update", { id: post.id, bHolderId: post.aHolderId }, as(HR)));
    expect(err.code).toBe(422);
  });

  test("when coverage is asked, then it lists posts without a B holder and posts whose holders are both away today", async () => {
    const posts = await call<Post[]>("posts.list", { divisionId: "city-education" }, as(HR));
    const post = posts.find((p) => p.aHolderId && p.bHolderId) as Post;
    const today = localDate(new Date());
    await call(
      "attendance.set",
      {
        divisionId: "city-education",
        entries: [
          { staffId: post.aHolderId, date: today, status: "leave_sick" },
          { staffId: post.bHolderId, date: today, status: "business_trip" },
        ],
      },
      as(HR),
    );
    const todays = await call<{ date: string; statuses: Record<string, string> }>("attendance.today", {
      orgId: "city",
    });
    expect(todays.statuses[post.aHolderId as string]).toBe("leave_sick");
    const cov = await call<CoverageResult>("posts.coverage", { orgId: "city" }, as(HR));
    expect(cov.date).toBe(today);
    expect(cov.noBackup.length).toBeGreaterThan(0);
    expect(cov.noBackup.every((r) => r.post.bHolderId === null && r.post.orgId === "city")).toBe(true);
    const row = cov.bothAbsent.find((r) => r.post.id === post.id);
    expect(row).toMatchObject({ aStatus: "leave_sick", bStatus: "business_trip" });
    expect(cov.bothAbsent.every((r) => r.aStatus !== "present" && r.bStatus !== "present")).toBe(true);
  });

  test("when a county admin asks for coverage without an org, then only their county is covered", async () => {
    const cov = await call<CoverageResult>("posts.coverage", {}, as(ZHANGBEI_ADMIN));
    expect([...cov.noBackup, ...cov.bothAbsent].every((r) => r.post.orgId === "zhangbei")).toBe(true);
    const err = await rejection(call("posts.coverage", { orgId: "kangbao" }, as(ZHANGBEI_ADMIN)));
    expect(err.code).toBe(403);
  });

  test("when a plain staff member asks for coverage, then 403", async () => {
    expect((await rejection(call("posts.coverage", {}, as(STAFF)))).code).toBe(403);
  });
});

describe("staff search", () => {
  test("when searching by full pinyin, initials or Chinese, then the person is found", async () => {
    const target = await call<StaffDetail>("staff.get", { id: people.staff });
    for (const q of [
      target.namePinyin,
      target.namePinyin.toUpperCase(),
      target.nameInitials,
      target.name,
      target.name.slice(1),
    ]) {
      const res = await call<StaffListResult>("staff.list", { q, limit: 200 }, as(STAFF));
      expect(res.rows.map((r) => r.id)).toContain(target.id);
    }
    const byInitials = await call<StaffListResult>("staff.list", { q: target.nameInitials, limit: 200 }, as(STAFF));
    expect(
      byInitials.rows.every(
        (r) => r.nameInitials.startsWith(target.nameInitials) || r.namePinyin.includes(target.nameInitials),
      ),
    ).toBe(true);
  });

  test("when the query holds regex characters, then they are matched literally", async () => {
    const res = await call<StaffListResult>("staff.list", { q: "王.*" }, as(STAFF));
    expect(res.total).toBe(0);
    const res2 = await call<StaffListResult>("staff.list", { q: "(" }, as(STAFF));
    expect(res2.total).toBe(0);
  });

  test("when filtering by org, division, education and age band, then every row matches and pages hold at most the limit", async () => {
    const res = await call<StaffListResult>(
      "staff.list",
      { orgId: "city", divisionId: "city-budget", limit: 5, page: 1 },
      as(STAFF),
    );
    expect(res.rows).toHaveLength(5);
    expect(res.rows.every((r) => r.divisionId === "city-budget")).toBe(true);
    const page2 = await call<StaffListResult>(
      "staff.list",
      { divisionId: "city-budget", limit: 5, page: 2 },
      as(STAFF),
    );
    expect(page2.rows.map((r) => r.id)).not.toEqual(expect.arrayContaining([res.rows[0].id]));
    const young = await call<StaffListResult>(
      "staff.list",
      { ageBand: "35岁及以下", orgId: "city", limit: 200 },
      as(HR),
    );
    expect(young.total).toBeGreaterThan(0);
    expect(young.rows.every((r) => r.ageBand === "35岁及以下" && (r.age as number) <= 35)).toBe(true);
    const old = await call<StaffListResult>("staff.list", { ageBand: "56岁及以上", limit: 200 }, as(HR));
    expect(old.rows.every((r) => (r.age as number) >= 56)).toBe(true);
    const masters = await call<StaffListResult>("staff.list", { education: "研究生-硕士", limit: 200 }, as(STAFF));
    expect(masters.total).toBeGreaterThan(0);
    expect(masters.rows.every((r) => r.education === "研究生-硕士")).toBe(true);
  });

  test("when the limit is above 200, then 422", async () => {
    expect((await rejection(call("staff.list", { limit: 500 }, as(STAFF)))).code).toBe(422);
  });
});

describe("privacy of personal fields", () => {
  test("when a plain staff member reads a record, then phone, birth date and exact age are left out but the age band is there", async () => {
    const s = await call<StaffDetail>("staff.get", { id: people.leader }, as(STAFF));
    expect(s).not.toHaveProperty("phone");
    expect(s).not.toHaveProperty("birthDate");
    expect(s).not.toHaveProperty("age");
    expect(s.ageBand).toMatch(/岁/);
    const list = await call<StaffListResult>("staff.list", { limit: 20 }, as(STAFF));
    expect(list.rows.some((r) => "phone" in r || "birthDate" in r)).toBe(false);
  });

  test("when city HR reads any record, then the personal fields are there", async () => {
    const s = await call<StaffDetail>("staff.get", { id: (await firstStaffOf("kangbao")).id }, as(HR));
    expect(s.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(s.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(typeof s.age).toBe("number");
  });

  test("when a county admin reads records, then they see their own county's personal fields but not another county's", async () => {
    const own = await call<StaffDetail>("staff.get", { id: (await firstStaffOf("zhangbei")).id }, as(ZHANGBEI_ADMIN));
    expect(own.phone).toMatch(/^1/);
    const other = await call<StaffDetail>("staff.get", { id: (await firstStaffOf("kangbao")).id }, as(ZHANGBEI_ADMIN));
    expect(other).not.toHaveProperty("phone");
    expect(other).not.toHaveProperty("birthDate");
  });
});

describe("staff records: create, update, checks", () => {
  const newPerson = {
    orgId: "zhangbei",
    divisionId: "zhangbei-budget",
    name: "欧阳明月",
    gender: "female",
    birthDate: "1990-05-17",
    education: "本科",
    politicalStatus: "群众",
    title: "一级科员",
    phone: "+8613912345678",
    hireDate: "2014-07-01",
  };

  test("when a county admin creates a person in their county and edits them, then the record and its version follow", async () => {
    const created = await call<StaffView>("staff.create", newPerson, as(ZHANGBEI_ADMIN));
    expect(created).toMatchObject({
      name: "欧阳明月",
      namePinyin: "ouyangmingyue",
      nameInitials: "oymy",
      phone: "13912345678",
      version: 1,
    });
    const updated = await call<StaffView>(
      "staff.update",
      { id: created.id, title: "四级主任科员" },
      as(ZHANGBEI_ADMIN),
    );
    expect(updated.title).toBe("四级主任科员");
    expect(updated.version).toBe(2);
    const mine = () => changes.filter((e) => e.data.staffId === created.id);
    await waitFor(mine, (evs) => evs.length >= 2);
    expect(mine().map((e) => e.data.version)).toEqual([1, 2]);
    expect(mine()[0].data).toMatchObject({
      name: "欧阳明月",
      orgId: "zhangbei",
      phone: "13912345678",
      status: "active",
    });
  });

  test("when a county admin edits another county's person, then 403 and nothing changes", async () => {
    const victim = await firstStaffOf("kangbao");
    const before = await call<StaffView>("staff.get", { id: victim.id });
    const err = await rejection(call("staff.update", { id: victim.id, title: "局长" }, as(ZHANGBEI_ADMIN)));
    expect(err.code).toBe(403);
    expect(await call<StaffView>("staff.get", { id: victim.id })).toEqual(before);
  });

  test("when a county admin creates a person in another county, then 403", async () => {
    const err = await rejection(
      call("staff.create", { ...newPerson, orgId: "kangbao", divisionId: "kangbao-budget" }, as(ZHANGBEI_ADMIN)),
    );
    expect(err.code).toBe(403);
  });

  test("when a plain staff member edits a record, then 403", async () => {
    const err = await rejection(call("staff.update", { id: people.leader, title: "x" }, as(STAFF)));
    expect(err.code).toBe(403);
  });

  test("when the id is unknown, then 404 STAFF_NOT_FOUND", async () => {
    const err = await rejection(call("staff.get", { id: "s-99999" }, as(STAFF)));
    expect(err).toMatchObject({ code: 404, type: "STAFF_NOT_FOUND" });
    expect((await rejection(call("staff.update", { id: "s-99999", title: "x" }, as(HR)))).code).toBe(404);
    expect((await rejection(call("posts.update", { id: "p-none", title: "x" }, as(HR)))).code).toBe(404);
  });

  test("when values are bad, then 422 names each field and nothing is written", async () => {
    const target = await firstStaffOf("city");
    const before = await call<StaffView>("staff.get", { id: target.id });
    const err = await rejection(
      call(
        "staff.update",
        { id: target.id, phone: "12345", birthDate: "1990-02-30", divisionId: "zhangbei-budget" },
        as(HR),
      ),
    );
    expect(err.code).toBe(422);
    const fields = (err.data as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["birthDate", "divisionId", "phone"]);
    expect(await call<StaffView>("staff.get", { id: target.id })).toEqual(before);
  });

  test("when a param has the wrong type or is unknown, then 422", async () => {
    expect((await rejection(call("staff.get", { id: 42 }, as(STAFF)))).code).toBe(422);
    expect((await rejection(call("staff.get", { id: "s-00001", extra: 1 }, as(STAFF)))).code).toBe(422);
    expect((await rejection(call("staff.create", { ...newPerson, gender: "x" }, as(HR)))).code).toBe(422);
    expect((await rejection(call("staff.create", { ...newPerson, salary: 1 }, as(HR)))).code).toBe(422);
  });

  test("when a query operator is passed as a param, then 422", async () => {
    expect((await rejection(call("staff.list", { q: { $gt: "" } }, as(STAFF)))).code).toBe(422);
    expect((await rejection(call("staff.get", { id: { $ne: null } }, as(STAFF)))).code).toBe(422);
    expect((await rejection(call("staff.list", { orgId: { $regex: ".*" } }, as(STAFF)))).code).toBe(422);
    expect((await rejection(call("staff.update", { id: "s-00001", name: { $gt: "" } }, as(HR)))).code).toBe(422);
  });
});

describe("directory and statistics", () => {
  test("when another service reads the directory, then every staff member is there and division heads are marked", async () => {
    const dir = await call<DirectoryEntry[]>("staff.directory", {});
    expect(dir.length).toBeGreaterThanOrEqual(seed.staff as number);
    const heads = dir.filter((d) => d.isDivisionHead);
    const orgs = await call<OrgWithDivisions[]>("orgs.list", {}, as(STAFF));
    expect(heads.length).toBe(orgs.reduce((n, o) => n + o.divisions.length, 0));
    expect(dir.find((d) => d.id === people.division_head)?.isDivisionHead).toBe(true);
    const some = await call<DirectoryEntry[]>("staff.directory", { ids: [people.staff, people.hr_admin] });
    expect(some.map((d) => d.id).sort()).toEqual([people.staff, people.hr_admin].sort());
  });

  test("when a user calls the directory, then 403", async () => {
    expect((await rejection(call("staff.directory", {}, as(HR)))).code).toBe(403);
  });

  test("when statistics are asked, then counts by org, education and age band add up to the total", async () => {
    const st = await call<StaffStats>("staff.stats", {}, as(STAFF));
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect(sum(st.byOrg)).toBe(st.total);
    expect(sum(st.byEducation)).toBe(st.total);
    expect(sum(st.byAgeBand)).toBe(st.total);
    expect(sum(st.byDivision)).toBe(st.total);
    expect(st.byOrg.city).toBeGreaterThanOrEqual(300);
  });
});

describe("attendance", () => {
  test("when a division head enters a batch, then the month summary counts it per person and per division", async () => {
    const list = await call<StaffListResult>("staff.list", { divisionId: "city-budget", limit: 2 }, as(STAFF));
    const [a, b] = list.rows;
    await call(
      "attendance.set",
      {
        divisionId: "city-budget",
        entries: [
          { staffId: a.id, date: "2020-03-02", status: "present" },
          { staffId: a.id, date: "2020-03-03", status: "leave_annual" },
          { staffId: a.id, date: "2020-03-04", status: "leave_annual" },
          { staffId: b.id, date: "2020-03-02", status: "business_trip" },
        ],
      },
      as(BUDGET_HEAD),
    );
    await call(
      "attendance.set",
      { divisionId: "city-budget", entries: [{ staffId: a.id, date: "2020-03-04", status: "training" }] },
      as(BUDGET_HEAD),
    );
    const m = await call<AttendanceMonthResult>(
      "attendance.month",
      { year: 2020, month: 3, divisionId: "city-budget" },
      as(BUDGET_HEAD),
    );
    expect(m.workingDays).toHaveLength(22);
    const pa = m.people.find((p) => p.staffId === a.id)!;
    expect(pa.days).toEqual({ "02": "present", "03": "leave_annual", "04": "training" });
    expect(pa.counts).toMatchObject({ present: 1, leave_annual: 1, training: 1, notRecorded: 19 });
    const div = m.divisions.find((d) => d.divisionId === "city-budget")!;
    expect(div.counts.business_trip).toBe(1);
    expect(div.counts.leave_annual).toBe(1);
  });

  test("when a plain staff member asks for their own month, then they get it, and only their own", async () => {
    const list = await call<StaffListResult>("staff.list", { divisionId: "city-budget", limit: 2 }, as(STAFF));
    const [a] = list.rows;
    const me = { ...STAFF, staffId: a.id };
    const mine = await call<{ staffId: string; days: Record<string, string>; counts: { training: number } }>(
      "attendance.mine",
      { year: 2020, month: 3 },
      as(me),
    );
    expect(mine.staffId).toBe(a.id);
    expect(mine.days).toEqual({ "02": "present", "03": "leave_annual", "04": "training" });
    expect(mine.counts.training).toBe(1);
    const err = await rejection(call("attendance.mine", { year: 2020, month: 3, staffId: "s-00001" }, as(me)));
    expect(err.code).toBe(422);
  });

  test("when a division head enters attendance for another division, then 403", async () => {
    const other = await call<StaffListResult>("staff.list", { divisionId: "city-treasury", limit: 1 }, as(STAFF));
    const err = await rejection(
      call(
        "attendance.set",
        {
          divisionId: "city-treasury",
          entries: [{ staffId: other.rows[0].id, date: "2020-03-02", status: "absent" }],
        },
        as(BUDGET_HEAD),
      ),
    );
    expect(err.code).toBe(403);
  });

  test("when an entry names someone outside the division or a bad date, then 422 with the entry's field", async () => {
    const other = await firstStaffOf("kangbao");
    const err = await rejection(
      call(
        "attendance.set",
        { divisionId: "city-budget", entries: [{ staffId: other.id, date: "2020-13-01", status: "present" }] },
        as(BUDGET_HEAD),
      ),
    );
    expect(err.code).toBe(422);
    expect((err.data as { field: string }[]).map((f) => f.field)).toEqual(["entries[0].staffId", "entries[0].date"]);
  });

  test("when the seeded month is summarised, then most working days are present", async () => {
    const today = localDate(new Date());
    const [y, mo] = today.split("-").map(Number);
    const prev = mo === 1 ? { year: y - 1, month: 12 } : { year: y, month: mo - 1 };
    const m = await call<AttendanceMonthResult>("attendance.month", { ...prev, orgId: "city" }, as(HR));
    const total = m.divisions.reduce((n, d) => n + d.counts.present, 0);
    const away = m.divisions.reduce(
      (n, d) => n + d.counts.leave_annual + d.counts.leave_sick + d.counts.business_trip,
      0,
    );
    expect(total / (total + away)).toBeGreaterThan(0.85);
    expect(away).toBeGreaterThan(0);
  });

  test("when a plain staff member asks for the org's month, then 403", async () => {
    expect((await rejection(call("attendance.month", { year: 2020, month: 3, orgId: "city" }, as(STAFF)))).code).toBe(
      403,
    );
  });
});

describe("Excel export and import", () => {
  const count = async (orgId: string) => (await call<StaffListResult>("staff.list", { orgId, limit: 1 })).total;

  test("when staff are exported, then the workbook opens with Chinese headers, a frozen header and the values", async () => {
    const meta: Record<string, unknown> = { user: ZHANGBEI_ADMIN };
    const res = await broker.call("personnel.staff.export", {}, { meta });
    const buf = Buffer.isBuffer(res) ? res : Buffer.from((res as { data: number[] }).data);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([
      undefined,
      "工号",
      "姓名",
      "性别",
      "出生日期",
      "年龄段",
      "学历",
      "政治面貌",
      "职务职级",
      "单位",
      "处室",
      "岗位",
      "手机号",
      "入职日期",
      "状态",
    ]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.rowCount - 1).toBe(await count("zhangbei"));
    const first = await call<StaffView>("staff.get", { id: String(ws.getRow(2).getCell(1).value) });
    expect(ws.getRow(2).getCell(2).value).toBe(first.name);
    expect(ws.getRow(2).getCell(9).value).toBe("张北县财政局");
    expect(ws.getRow(2).getCell(12).value).toBe(first.phone);
    expect(meta.$responseType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect((meta.$responseHeaders as Record<string, string>)["Content-Disposition"]).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent("张北县财政局干部职工名册")}.xlsx`,
    );
  });

  test("when one imported row is bad, then 422 reports its row and column and nothing is written", async () => {
    const file = await xlsxBase64([
      STAFF_IMPORT_HEADERS,
      GOOD_STAFF_ROW,
      ["", "钱二", "男", "1988-01-02", "本科", "中共党员", "科员", "张北县财政局", "预算股", "999", "2010-08-01"],
      ["", "孙三", "女", "1991-04-05", "博士", "群众", "科员", "康保县财政局", "预算股", "13800002222", "2015-08-01"],
    ]);
    const before = await count("zhangbei");
    const err = await rejection(call("staff.import", { file }, as(ZHANGBEI_ADMIN)));
    expect(err.code).toBe(422);
    const fields = (err.data as { row: number; column: string }[]).map((f) => `${f.row}:${f.column}`);
    expect(fields.sort()).toEqual(["3:手机号", "4:单位", "4:学历"]);
    expect(await count("zhangbei")).toBe(before);
  });

  test("when all imported rows are good, then they are written and counted", async () => {
    const before = await count("zhangbei");
    const file = await xlsxBase64([
      STAFF_IMPORT_HEADERS,
      GOOD_STAFF_ROW,
      ["", "钱二", "男", "1986-11-12", "大专", "群众", "科员", "zhangbei", "国库股", "", "2009-08-01"],
    ]);
    const job = await importStaff(file, ZHANGBEI_ADMIN);
    expect([job.state, job.result, job.done, job.total]).toEqual([
      "done",
      { created: 2, updated: 0, unchanged: 0 },
      2,
      2,
    ]);
    expect(await count("zhangbei")).toBe(before + 2);
    const found = await call<StaffListResult>("staff.list", { q: "zym", orgId: "zhangbei" }, as(ZHANGBEI_ADMIN));
    expect(found.rows.map((r) => r.name)).toContain("赵一鸣");
  });

  test("when an exported file is imported back unchanged, then nothing is written and nobody is told", async () => {
    const exported = await call<Buffer>("staff.export", {}, as(HR));
    const before = await call<StaffListResult>("staff.list", { limit: 1 }, as(HR));
    const heard = changes.length;
    const job = await importStaff(Buffer.from(exported).toString("base64"), HR);
    expect([job.state, job.error]).toEqual(["done", null]);
    expect(job.result).toEqual({ created: 0, updated: 0, unchanged: before.total });
    await new Promise((r) => setTimeout(r, 500));
    expect(changes.length).toBe(heard);
  });

  test("when an exported file comes back with two cells changed, then only those two people are written and announced", async () => {
    const wb = new ExcelJS.Workbook();
    const exported = await call<Buffer>("staff.export", { orgId: "zhangbei" }, as(ZHANGBEI_ADMIN));
    await wb.xlsx.load(Buffer.from(exported) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as string[]).indexOf("职务职级");
    const ids = [String(ws.getRow(2).getCell(1).value), String(ws.getRow(3).getCell(1).value)];
    ws.getRow(2).getCell(header).value = "一级主任科员";
    ws.getRow(3).getCell(header).value = "二级主任科员";
    const rows = ws.rowCount - 1;
    const heard = changes.length;
    const job = await importStaff(Buffer.from(await wb.xlsx.writeBuffer()).toString("base64"), ZHANGBEI_ADMIN);
    expect(job.result).toEqual({ created: 0, updated: 2, unchanged: rows - 2 });
    const announced = await waitFor(
      () => changes.slice(heard).map((e) => e.data.staffId),
      (x) => x.length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(
      changes
        .slice(heard)
        .map((e) => e.data.staffId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(announced.length).toBe(2);
    expect((await call<StaffView>("staff.get", { id: ids[0] }, as(HR))).title).toBe("一级主任科员");
  });

  test("when another county's admin asks for an import job, then it does not exist for them", async () => {
    const file = await xlsxBase64([STAFF_IMPORT_HEADERS, GOOD_STAFF_ROW]);
    const job = await importStaff(file, ZHANGBEI_ADMIN);
    const kangbao = user(["county_admin"], "kangbao", "kangbao-office");
    const err = await rejection(call("imports.jobs.get", { id: job.id }, as(kangbao)));
    expect([err.code, err.type]).toEqual([404, "IMPORT_JOB_NOT_FOUND"]);
    expect((await call<StaffImportJob>("imports.jobs.get", { id: job.id }, as(HR))).id).toBe(job.id);
  });

  test("when the file is not a workbook, then 422 on file", async () => {
    const err = await rejection(call("staff.import", { file: Buffer.from("hello").toString("base64") }, as(HR)));
    expect(err.code).toBe(422);
    expect((err.data as { field: string }[])[0].field).toBe("file");
  });

  test("when a whole month of attendance is exported and imported back unchanged, then nothing is written and nobody is told", async () => {
    const { year, month } = lastMonth();
    const exported = await call<Buffer>("attendance.export", { year, month, orgId: "city" }, as(HR));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(exported) as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].rowCount - 1;
    expect(rows).toBeGreaterThan(50);
    const heard = attendanceChanges.length;
    const writes = recordWrites();
    try {
      const job = await importAttendance(Buffer.from(exported).toString("base64"), year, month, HR);
      expect([job.state, job.result, job.total]).toEqual([
        "done",
        { created: 0, updated: 0, unchanged: rows, days: 0 },
        0,
      ]);
      expect(writes.counts()).toEqual({});
    } finally {
      writes.restore();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(attendanceChanges.length).toBe(heard);
  });

  test("when a month comes back with 10 people's days changed, then exactly those 10 are written and announced", async () => {
    const { year, month } = lastMonth();
    const exported = await call<Buffer>("attendance.export", { year, month, orgId: "city" }, as(HR));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(exported) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const headers = ws.getRow(1).values as string[];
    // A day column that the people changed have recorded (a working day), set to 病假 where it is not.
    const changed: { staffId: string; day: string }[] = [];
    for (let r = 2; changed.length < 10 && r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const col = headers.findIndex((h, i) => /^\d+日$/.test(String(h)) && row.getCell(i).value === "出勤");
      if (col < 0) continue;
      row.getCell(col).value = "病假";
      changed.push({
        staffId: String(row.getCell(1).value),
        day: String(headers[col]).replace("日", "").padStart(2, "0"),
      });
    }
    expect(changed).toHaveLength(10);
    const heard = attendanceChanges.length;
    const writes = recordWrites();
    let job: ImportJob<AttendanceImportResult>;
    try {
      job = await importAttendance(Buffer.from(await wb.xlsx.writeBuffer()).toString("base64"), year, month, HR);
      expect(writes.counts()).toEqual({ [`attendance_${year}_${String(month).padStart(2, "0")}`]: 10 });
    } finally {
      writes.restore();
    }
    expect(job.result).toEqual({ created: 0, updated: 10, unchanged: ws.rowCount - 11, days: 10 });
    expect([job.done, job.total]).toEqual([10, 10]);
    const announced = await waitFor(
      () => attendanceChanges.slice(heard).flatMap((e) => e.data.entries),
      (x) => x.length >= 10,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(attendanceChanges.slice(heard).flatMap((e) => e.data.entries)).toHaveLength(10);
    expect(announced.map((e) => `${e.staffId}:${e.date.slice(8)}:${e.status}`).sort()).toEqual(
      changed.map((c) => `${c.staffId}:${c.day}:leave_sick`).sort(),
    );
    const m = await call<AttendanceMonthResult>("attendance.month", { year, month, orgId: "city" }, as(HR));
    expect(m.people.find((p) => p.staffId === changed[0].staffId)?.days[changed[0].day]).toBe("leave_sick");
  });

  test("when an attendance import has an unknown status, then 422 with row and day column and nothing is written", async () => {
    const target = await firstStaffOf("zhangbei");
    const file = await xlsxBase64([
      ["工号", "姓名", "1日", "2日"],
      [target.id, target.name, "出勤", "休息"],
    ]);
    const err = await rejection(call("attendance.import", { file, year: 2021, month: 6 }, as(ZHANGBEI_ADMIN)));
    expect(err.code).toBe(422);
    expect(err.data).toEqual([expect.objectContaining({ row: 2, column: "2日" })]);
    const m = await call<AttendanceMonthResult>(
      "attendance.month",
      { year: 2021, month: 6, orgId: "zhangbei" },
      as(ZHANGBEI_ADMIN),
    );
    expect(m.people.find((p) => p.staffId === target.id)?.days).toEqual({});
  });

  test("when a county admin imports attendance of another county's person, then it is a row error", async () => {
    const other = await firstStaffOf("kangbao");
    const file = await xlsxBase64([
      ["工号", "1日"],
      [other.id, "出勤"],
    ]);
    const err = await rejection(call("attendance.import", { file, year: 2021, month: 6 }, as(ZHANGBEI_ADMIN)));
    expect(err.data).toEqual([expect.objectContaining({ row: 2, column: "工号" })]);
  });
});

describe("attendance month collections", () => {
  const monthCollections = async (): Promise<string[]> => {
    const svc = broker.getLocalService("personnel") as unknown as { db: Connection };
    const all = (await svc.db.db?.listCollections({}, { nameOnly: true }).toArray()) ?? [];
    return all.map((c) => c.name).filter((n) => n.startsWith("attendance_"));
  };

  test("when the service has started, then the months of the previous, current and next year exist", async () => {
    const year = Number(localDate(new Date()).slice(0, 4));
    const names = await monthCollections();
    for (const y of [year - 1, year, year + 1])
      for (let m = 1; m <= 12; m++) expect(names).toContain(`attendance_${y}_${String(m).padStart(2, "0")}`);
  });

  // FerretDB's SQLite backend takes a lock every database shares to create a collection or an
  // index; doing so on the request path has deadlocked it. The driver's own methods are spied on,
  // so this catches mongoose's createIndexes/createCollection as well as direct calls.
  test("when attendance is read and written after start-up, then no request creates a collection or an index", async () => {
    const driver = mongoose.mongo;
    const spies = [
      jest.spyOn(driver.Collection.prototype, "createIndex"),
      jest.spyOn(driver.Collection.prototype, "createIndexes"),
      jest.spyOn(driver.Db.prototype, "createCollection"),
    ];
    try {
      const [y, mo] = localDate(new Date()).split("-").map(Number);
      const nextYear = `${y + 1}-${String(mo).padStart(2, "0")}-05`;
      const list = await call<StaffListResult>("staff.list", { divisionId: "city-budget", limit: 1 }, as(STAFF));
      const me = { ...STAFF, staffId: list.rows[0].id };
      // A write to a month without any data yet, inside the start-up window.
      await call(
        "attendance.set",
        { divisionId: "city-budget", entries: [{ staffId: me.staffId, date: nextYear, status: "training" }] },
        as(BUDGET_HEAD),
      );
      const mine = await call<{ days: Record<string, string> }>("attendance.mine", { year: y + 1, month: mo }, as(me));
      expect(mine.days).toEqual({ "05": "training" });
      // Reads of months far outside it, which have no collection.
      expect((await call<{ days: object }>("attendance.mine", { year: 2099, month: 1 }, as(me))).days).toEqual({});
      expect(await call("attendance.monthAll", { year: 2098, month: 2 })).toEqual([]);
      const far = await call<AttendanceMonthResult>(
        "attendance.month",
        { year: 2097, month: 3, divisionId: "city-budget" },
        as(BUDGET_HEAD),
      );
      expect(far.people.every((p) => Object.keys(p.days).length === 0)).toBe(true);
      expect(await call("attendance.today", { date: "2096-04-01", orgId: "city" })).toEqual({
        date: "2096-04-01",
        statuses: {},
      });
      await call<CoverageResult>("posts.coverage", { orgId: "city" }, as(HR));
      // A write to a month outside the window is refused before anything is made or written.
      const far2 = await rejection(
        call(
          "attendance.set",
          { divisionId: "city-budget", entries: [{ staffId: me.staffId, date: "2095-05-06", status: "present" }] },
          as(BUDGET_HEAD),
        ),
      );
      expect([far2.code, (far2.data as { field: string }[])[0].field]).toEqual([422, "entries[0].date"]);
      const file = await xlsxBase64([
        ["工号", "1日"],
        [me.staffId!, "出勤"],
      ]);
      const farImport = await rejection(call("attendance.import", { file, year: 2095, month: 5 }, as(HR)));
      expect([farImport.code, (farImport.data as { field: string }[])[0].field]).toEqual([422, "year"]);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    // …and reading them left them without a collection.
    const names = await monthCollections();
    for (const n of [
      "attendance_2099_01",
      "attendance_2098_02",
      "attendance_2097_03",
      "attendance_2096_04",
      "attendance_2095_05",
    ])
      expect(names).not.toContain(n);
  });
});

describe("demo reset", () => {
  test("when the demo is reset, then the same people come back and data added since is gone", async () => {
    const before = await call<StaffListResult>("staff.list", { limit: 1 });
    const reset = await call<SeedResult>("demo.seed", { reset: true });
    expect(reset).toMatchObject({ seeded: true, staff: seed.staff, attendanceDocs: seed.attendanceDocs });
    const after = await call<StaffListResult>("staff.list", { limit: 1 });
    expect(after.total).toBe(seed.staff);
    expect(after.total).toBeLessThan(before.total);
    expect(await call<DemoPeople>("demo.people", {})).toEqual(people);
    const m = await call<AttendanceMonthResult>(
      "attendance.month",
      { year: 2020, month: 3, divisionId: "city-budget" },
      as(HR),
    );
    expect(m.people.every((p) => Object.keys(p.days).length === 0)).toBe(true);
    const created = await call<StaffView>(
      "staff.create",
      {
        orgId: "city",
        divisionId: "city-hr",
        name: "林小雨",
        gender: "female",
        birthDate: "1998-03-03",
        education: "研究生-硕士",
        politicalStatus: "共青团员",
        title: "一级科员",
        hireDate: "2023-08-01",
      },
      as(HR),
    );
    expect(created.id).toBe(`s-${String((seed.staff as number) + 1).padStart(5, "0")}`);
  }, 120_000);
});
