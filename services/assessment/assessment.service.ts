/**
 * Assessment (考核): indicator counters fed by durable events, schemes, scores and grades, frozen
 * year-end snapshots and the one-click summaries (.xlsx and print-ready HTML).
 * Owns the `<namespace>_assessment` database; the logic lives in the pure modules beside it.
 */
import { ID, YEAR, isDuplicateKey } from "../../shared/params";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { audit } from "../../shared/audit";
import {
  type AuthUser,
  type CallMeta,
  CITY_ORG_ID,
  canAdministerOrg,
  canEnterAttendance,
  isCityWide,
} from "../../shared/auth";
import { systemClock, type Clock } from "../../shared/clock";
import {
  SUMMARY_TABLES,
  TIE_BREAK_RULE,
  type AssessmentSeedResult,
  type DivisionResult,
  type FactView,
  type IndicatorFact,
  type LearningImportResult,
  type LearningRecord,
  type LearningRecordInput,
  type OrgResult,
  type RebuildJob,
  type RebuildPhase,
  type RebuildResult,
  type Scheme,
  type SchemeInput,
  type Snapshot,
  type SnapshotDiff,
  type SnapshotMeta,
  type SnapshotResults,
  type StaffBreakdown,
  type StaffResult,
  type SummaryParams,
  type SummaryTable,
} from "../../shared/contracts/assessment";
import type { DirectoryEntry, OrgWithDivisions, StaffMonthDays } from "../../shared/contracts/personnel";
import type { MonthView } from "../../shared/contracts/plans";
import type { FactsParams, FactsResult } from "../../shared/contracts/info";
import type { ComplianceReport } from "../../shared/contracts/worklog";
import type { CompletionMatrix } from "../../shared/contracts/plans";
import { dbMixin, emptyModels, type DbVars } from "../../shared/db";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  fieldError,
  type FieldError,
} from "../../shared/errors";
import type { DomainEvent } from "../../shared/events";
import { localDate } from "../../shared/time";
import { decodeUpload, importError, readSheet } from "../../shared/xlsx";
import { registerModels, type LearningDoc, type Models, type SchemeDoc, type SnapshotDoc } from "./assessment.model";
import {
  attendanceMonthId,
  attendanceMonths,
  decodeKey,
  encodeKey,
  factEntry,
  monthCount,
  monthKey,
  orgYearId,
  personDocId,
  submissionKey,
  taskEntry,
  yearOf,
  type AttendanceMonthDoc,
  type DayEntry,
  type FactEntry,
  type LogEntry,
  type OrgYearDoc,
  type OrgYearKind,
  type PersonDoc,
  type TaskEntry,
  type Versioned,
  type YearDeadlines,
} from "./counters";
import { generateLearning } from "./demo-data";
import { checkRecord, isXlsx, parseCsv, validateLearningRows, type CheckedRecord, type StaffLookup } from "./learning";
import { DocWriter } from "../../shared/entry-writer";
import { RebuildJobs, type JobReport } from "./rebuild-jobs";
import { DEFAULT_SCHEME, checkScheme } from "./scheme";
import { computeYear, redact, type DivisionRef, type OrgRef, type StaffRef, type YearResults } from "./scoring";
import { canonicalJson, diffResults, pack, sha256, unpack } from "./snapshot";
import { countiesTable, divisionsTable, staffTable, type SummarySheet } from "./summary";
import { XLSX_MIME, contentDisposition, tablesHtml, tablesWorkbook } from "../../shared/report-table";

interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
  /** Delay before a log event refreshes its organisation's compliance (events in a burst share one). */
  logRefreshMs?: number;
  /**
   * The least time between the starts of two refreshes of one organisation's year: under a steady
   * stream of publishes each organisation costs worklog one whole-year report a second, not five.
   */
  logRefreshGapMs?: number;
  /**
   * How often every organisation's log compliance is refreshed without an event: what is due grows
   * as days pass. A staff change refreshes its organisation after `staffSettleMs`, once worklog's
   * own staff copy has followed the same event. 0 turns the sweep off.
   */
  logSweepMs?: number;
  staffSettleMs?: number;
}

type Meta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };
type Ctx<P = Record<string, never>> = Context<P, Meta>;

interface Refs {
  orgs: Map<string, OrgRef & { kind: string }>;
  divisions: Map<string, DivisionRef>;
  /** Every staff record; the assessed are the active ones. */
  staff: Map<string, DirectoryEntry>;
}

/** A summary's tables, the results they were cut from, and who may see what in them. */
interface SummaryTables {
  title: string;
  tables: SummarySheet[];
  results: YearResults;
  /** "all" when the reader sees every private item, else the reader's account. */
  viewer: string;
}

interface YearCache {
  people: Map<string, PersonDoc>;
  orgDocs: Map<string, OrgYearDoc>;
  ready: Promise<void> | null;
  results: { key: string; value: YearResults } | null;
}

interface Vars {
  m: Models;
  clock: Clock;
  people: DocWriter<PersonDoc>;
  attendanceMonths: DocWriter<AttendanceMonthDoc>;
  jobs: RebuildJobs;
  orgYears: DocWriter<OrgYearDoc>;
  years: Map<number, YearCache>;
  refsPromise: Promise<Refs> | null;
  deadlineCache: Map<number, Promise<YearDeadlines>>;
  snapshots: Map<number, Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null>>;
  logTimers: Map<string, NodeJS.Timeout>;
  logSweep: NodeJS.Timeout | null;
  logRuns: Map<string, Promise<void>>;
  /** When each organisation-year's last refresh started (see `logRefreshGapMs`). */
  logStarted: Map<string, number>;
  /** Built summary files per results (dropped with them when an event changes the results). */
  files: WeakMap<YearResults, Map<string, Promise<Buffer | string>>>;
}

interface Methods {
  today(): string;
  currentYear(): number;
  refs(): Promise<Refs>;
  invalidateRefs(): void;
  yearCache(year: number): Promise<YearCache>;
  docWritten(doc: PersonDoc | OrgYearDoc): void;
  dropYear(year: number, broadcast?: boolean): void;
  scheme(year: number): Promise<Scheme>;
  deadlines(year: number): Promise<YearDeadlines>;
  liveResults(year: number): Promise<YearResults>;
  results(year: number): Promise<{ results: YearResults; frozen: boolean }>;
  snapshot(year: number): Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null>;
  recordFact(fact: IndicatorFact): Promise<void>;
  scheduleLogs(orgId: string, year: number, delayMs?: number): void;
  refreshLogs(orgId: string, year: number): Promise<void>;
  writeLearning(records: CheckedRecord[]): Promise<LearningImportResult>;
  lookup(ctx: Ctx<unknown>, refs: Refs): StaffLookup;
  recountMonth(staffId: string, year: number, month: number): Promise<void>;
  rebuild(year: number, report?: JobReport): Promise<RebuildResult>;
  seesPrivate(ctx: Ctx<unknown>, s: Pick<StaffResult, "staffId" | "orgId" | "divisionId">): boolean;
  summaryTables(ctx: Ctx<unknown>, p: Required<Pick<SummaryParams, "table">> & SummaryParams): Promise<SummaryTables>;
  summaryFile<F extends Buffer | string>(
    ctx: Ctx<SummaryParams & { table: SummaryTable }>,
    format: "xlsx" | "html",
    build: (t: SummaryTables) => Promise<F> | F,
  ): Promise<{ title: string; file: F }>;
  warmUp(): Promise<void>;
}

type This = Service<Settings> & DbVars & Vars & Methods;

const SYSTEM = { meta: { system: true } };
/** A rebuild's calls read whole collections at the sources; on a busy FerretDB they may take a while. */
const REBUILD_CALL = { ...SYSTEM, timeout: 120_000 };
const OPTIONAL_YEAR = { ...YEAR, optional: true } as const;
/** Which summary table a file holds, and of which year and scope (the .xlsx and the print page alike). */
const SUMMARY_FILE_PARAMS = {
  $$strict: true,
  year: OPTIONAL_YEAR,
  table: { type: "enum", values: SUMMARY_TABLES },
  orgId: `${ID}|optional`,
  divisionId: `${ID}|optional`,
};
const BATCH = 1000;
const CACHE_EVENT = "assessment.cache.invalidate";
const HR_ONLY = { roles: ["hr_admin" as const] };
/** Rebuilding: city HR (checked in the handler: a county's HR admin has the same role) and sys admins. */
const REBUILD_ROLES = { roles: ["hr_admin" as const, "sys_admin" as const] };
const RESULT_ROLES = { roles: ["hr_admin" as const, "leader" as const, "sys_admin" as const] };

const personInit = (staffId: string, year: number): Record<string, unknown> => ({
  staffId,
  year,
  facts: {},
  months: {},
});
const orgYearInit = (kind: OrgYearKind, year: number, orgId: string): Record<string, unknown> => ({
  kind,
  year,
  orgId,
  entries: {},
});

/** Runs `fn` over `items` with at most `n` calls in flight. */
async function inParallel<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const schemeView = (year: number, doc: SchemeDoc | null): Scheme =>
  doc
    ? {
        year,
        staffWeights: doc.staffWeights,
        divisionWeights: doc.divisionWeights,
        rules: doc.rules,
        grades: doc.grades,
        isDefault: false,
        frozen: doc.frozen,
        version: doc.version,
        updatedAt: doc.updatedAt.toISOString(),
        updatedBy: doc.updatedBy,
      }
    : {
        year,
        ...structuredClone(DEFAULT_SCHEME),
        isDefault: true,
        frozen: false,
        version: 0,
        updatedAt: null,
        updatedBy: null,
      };

const schemeInput = (s: Scheme): SchemeInput => ({
  staffWeights: s.staffWeights,
  divisionWeights: s.divisionWeights,
  rules: s.rules,
  grades: s.grades,
});

const snapshotMeta = (d: SnapshotDoc): SnapshotMeta => ({
  year: d.year,
  hash: d.hash,
  frozenAt: new Date(d.frozenAt).toISOString(),
  frozenBy: d.frozenBy,
  schemeVersion: d.schemeVersion,
  staff: d.counts.staff,
  divisions: d.counts.divisions,
  orgs: d.counts.orgs,
});

const AssessmentService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "assessment",
  mixins: [dbMixin("assessment")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
    logRefreshMs: 200,
    logRefreshGapMs: 1000,
    logSweepMs: 3_600_000,
    staffSettleMs: 1000,
  },

  /** Actions */
  actions: {
    // ---------- schemes ----------
    "schemes.get": {
      rest: "GET /schemes/:year",
      params: { $$strict: true, year: YEAR },
      async handler(this: This, ctx: Ctx<{ year: number }>): Promise<Scheme> {
        return this.scheme(ctx.params.year);
      },
    },

    "schemes.set": {
      rest: "PUT /schemes/:year",
      auth: HR_ONLY,
      params: {
        $$strict: true,
        year: YEAR,
        staffWeights: "object",
        divisionWeights: "object",
        rules: "object",
        grades: "object",
      },
      async handler(this: This, ctx: Ctx<SchemeInput & { year: number }>): Promise<Scheme> {
        const user = ctx.meta.user;
        if (!ctx.meta.system && !(user && isCityWide(user))) throw new ForbiddenError("只有市局人教处可以修改考核方案");
        const { year, ...input } = ctx.params;
        const errors = checkScheme(input);
        if (errors.length) throw new ValidationError("考核方案有误", errors);
        const current = await this.scheme(year);
        if (current.frozen) throw new ConflictError("SCHEME_FROZEN", `${year} 年度考核结果已冻结，方案不能再修改`);
        const doc: SchemeDoc = {
          _id: String(year),
          year,
          ...input,
          frozen: false,
          version: current.version + 1,
          updatedAt: this.clock.now(),
          updatedBy: user?.accountId ?? null,
        };
        // Optimistic: the write lands only on the version read, so two editors cannot both win.
        const res = await this.m.Scheme.collection
          .updateOne({ _id: String(year), version: current.version } as never, { $set: doc } as never, {
            upsert: current.isDefault,
          })
          .catch((err: unknown) => {
            if (isDuplicateKey(err)) return { matchedCount: 0, upsertedCount: 0 };
            throw err;
          });
        if (!res.matchedCount && !res.upsertedCount)
          throw new ConflictError("SCHEME_CHANGED", "考核方案已被他人修改，请刷新后重试");
        // The cached scores are keyed by the scheme's version: they follow without dropping the documents.
        await audit(ctx, "assessment.scheme.set", "success", `scheme:${year}`, { version: doc.version });
        return schemeView(year, doc);
      },
    },

    // ---------- summaries ----------
    "summary.counties": {
      rest: "GET /summary/counties",
      params: { $$strict: true, year: OPTIONAL_YEAR },
      async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<OrgResult[]> {
        const { results } = await this.results(ctx.params.year ?? this.currentYear());
        return results.orgs.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
      },
    },

    "summary.divisions": {
      rest: "GET /summary/divisions",
      params: { $$strict: true, year: OPTIONAL_YEAR, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<DivisionResult[]> {
        const refs = await this.refs();
        const orgId = ctx.params.orgId ?? ctx.meta.user?.orgId ?? CITY_ORG_ID;
        if (!refs.orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        const { results } = await this.results(ctx.params.year ?? this.currentYear());
        return results.divisions.filter((d) => d.orgId === orgId).sort((a, b) => a.rank - b.rank);
      },
    },

    "summary.staff": {
      rest: "GET /summary/staff",
      params: { $$strict: true, year: OPTIONAL_YEAR, orgId: `${ID}|optional`, divisionId: `${ID}|optional` },
      async handler(
        this: This,
        ctx: Ctx<{ year?: number; orgId?: string; divisionId?: string }>,
      ): Promise<StaffResult[]> {
        const refs = await this.refs();
        const { divisionId } = ctx.params;
        if (divisionId && !refs.divisions.has(divisionId)) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
        const orgId = divisionId ? refs.divisions.get(divisionId)!.orgId : (ctx.params.orgId ?? ctx.meta.user?.orgId);
        if (!orgId) throw fieldError("orgId", "请指定单位或处室");
        if (!refs.orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        const { results } = await this.results(ctx.params.year ?? this.currentYear());
        return results.staff
          .filter((s) => s.orgId === orgId && (!divisionId || s.divisionId === divisionId))
          .sort((a, b) => a.rank - b.rank)
          .map((s) => (this.seesPrivate(ctx, s) ? s : redact(s)));
      },
    },

    breakdown: {
      rest: "GET /breakdown/:staffId",
      params: { $$strict: true, staffId: ID, year: OPTIONAL_YEAR },
      async handler(this: This, ctx: Ctx<{ staffId: string; year?: number }>): Promise<StaffBreakdown> {
        const year = ctx.params.year ?? this.currentYear();
        const { results, frozen } = await this.results(year);
        const s = results.staff.find((x) => x.staffId === ctx.params.staffId);
        if (!s) throw new NotFoundError("STAFF_NOT_FOUND", "该人员不在本年度考核范围内");
        const full = this.seesPrivate(ctx, s);
        const division = results.divisions.find((d) => d.divisionId === s.divisionId)!;
        const doc = (await this.yearCache(year)).people.get(s.staffId);
        const facts: FactView[] = Object.entries(doc?.facts ?? {})
          .filter(([, f]) => f.x > 0)
          .map(([id, f]) => ({ factId: decodeKey(id), kind: f.k, date: f.d, value: f.x, label: f.l, level: f.lv }))
          .sort((a, b) => a.date.localeCompare(b.date) || a.factId.localeCompare(b.factId));
        return {
          ...(full ? s : redact(s)),
          year,
          full,
          facts,
          division: {
            divisionId: division.divisionId,
            name: division.name,
            tasks: division.tasks,
            score: division.score,
          },
          tieBreakRule: TIE_BREAK_RULE,
          frozen,
        };
      },
    },

    export: {
      rest: "GET /exports/summary",
      params: SUMMARY_FILE_PARAMS,
      async handler(this: This, ctx: Ctx<SummaryParams & { table: SummaryTable }>): Promise<Buffer> {
        const { title, file } = await this.summaryFile(ctx, "xlsx", (t) => tablesWorkbook(t.tables));
        ctx.meta.$responseType = XLSX_MIME;
        ctx.meta.$responseHeaders = { "Content-Disposition": contentDisposition(title, "xlsx") };
        return file;
      },
    },

    print: {
      rest: "GET /print/summary",
      params: SUMMARY_FILE_PARAMS,
      async handler(this: This, ctx: Ctx<SummaryParams & { table: SummaryTable }>): Promise<string> {
        const { file } = await this.summaryFile(ctx, "html", (t) =>
          tablesHtml(t.title, t.tables, `排名规则：${TIE_BREAK_RULE}`),
        );
        ctx.meta.$responseType = "text/html; charset=utf-8";
        return file;
      },
    },

    // ---------- learning records ----------
    "learning.import": {
      rest: "POST /imports/learning",
      auth: { roles: ["hr_admin", "county_admin", "sys_admin"] },
      params: {
        $$strict: true,
        file: "string|min:1|max:14000000",
        format: { type: "enum", values: ["xlsx", "csv"], optional: true },
      },
      async handler(this: This, ctx: Ctx<{ file: string; format?: "xlsx" | "csv" }>): Promise<LearningImportResult> {
        const buf = decodeUpload(ctx.params.file, ".xlsx 或 CSV");
        const format = ctx.params.format ?? (isXlsx(buf) ? "xlsx" : "csv");
        const sheet = format === "xlsx" ? await readSheet(buf) : parseCsv(buf);
        const refs = await this.refs();
        const { records, errors } = validateLearningRows(sheet.headers, sheet.rows, this.lookup(ctx, refs));
        if (errors.length) throw importError(errors);
        const result = await this.writeLearning(records);
        await audit(ctx, "assessment.learning.import", "success", null, { ...result });
        return result;
      },
    },

    "learning.push": {
      rest: "POST /learning/records",
      auth: { roles: ["hr_admin", "sys_admin"] },
      params: {
        $$strict: true,
        records: {
          type: "array",
          min: 1,
          max: 5000,
          items: {
            type: "object",
            strict: true,
            props: {
              recordId: "string|min:1|max:64",
              staffId: "string|min:1|max:64",
              date: "string|min:8|max:10",
              hours: "number",
              course: "string|min:1|max:200",
            },
          },
        },
      },
      async handler(this: This, ctx: Ctx<{ records: LearningRecordInput[] }>): Promise<LearningImportResult> {
        const refs = await this.refs();
        const lookup = this.lookup(ctx, refs);
        const errors: FieldError[] = [];
        const records: CheckedRecord[] = [];
        const seen = new Set<string>();
        ctx.params.records.forEach((r, i) => {
          const { record, errors: es } = checkRecord(r, lookup);
          for (const e of es) errors.push({ field: `records[${i}].${e.key}`, message: e.message });
          if (seen.has(r.recordId)) errors.push({ field: `records[${i}].recordId`, message: "记录编号重复" });
          seen.add(r.recordId);
          if (record) records.push(record);
        });
        if (errors.length) throw new ValidationError("学习记录有误，未写入任何数据", errors);
        return this.writeLearning(records);
      },
    },

    "learning.list": {
      rest: "GET /learning",
      params: { $$strict: true, staffId: ID, year: OPTIONAL_YEAR },
      async handler(this: This, ctx: Ctx<{ staffId: string; year?: number }>): Promise<LearningRecord[]> {
        const year = ctx.params.year ?? this.currentYear();
        const doc = (await this.yearCache(year)).people.get(ctx.params.staffId);
        const ids = Object.keys(doc?.facts ?? {})
          .filter((k) => doc!.facts[k].k === "learning" && doc!.facts[k].x > 0)
          .map((k) => decodeKey(k).slice("learn:".length));
        const docs = await Promise.all(ids.map((id) => this.m.Learning.collection.findOne({ _id: id } as never)));
        return (docs.filter(Boolean) as unknown as LearningDoc[])
          .map((d) => ({
            recordId: d._id,
            staffId: d.staffId,
            date: d.date,
            hours: d.hours,
            course: d.course,
            orgId: d.orgId,
            divisionId: d.divisionId,
            version: d.version,
            updatedAt: new Date(d.updatedAt).toISOString(),
          }))
          .sort((a, b) => a.date.localeCompare(b.date) || a.recordId.localeCompare(b.recordId));
      },
    },

    // ---------- rebuild, freeze, snapshots ----------
    rebuild: {
      rest: "POST /rebuild",
      auth: REBUILD_ROLES,
      params: { $$strict: true, year: OPTIONAL_YEAR },
      async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob> {
        const user = ctx.meta.user;
        if (!ctx.meta.system && !(user && isCityWide(user)))
          throw new ForbiddenError("只有市局人教处和系统管理员可以重建考核计数");
        const job = await this.jobs.start(ctx.params.year ?? this.currentYear(), user?.accountId ?? null);
        await audit(ctx, "assessment.rebuild", "success", `year:${job.year}`, { jobId: job.id, state: job.state });
        return job;
      },
    },

    "rebuild.status": {
      rest: "GET /rebuild/jobs/:id",
      auth: REBUILD_ROLES,
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<RebuildJob> {
        const job = await this.jobs.get(ctx.params.id);
        if (!job) throw new NotFoundError("REBUILD_JOB_NOT_FOUND", "重建任务不存在");
        return job;
      },
    },

    "rebuild.latest": {
      rest: "GET /rebuild/jobs",
      auth: REBUILD_ROLES,
      params: { $$strict: true, year: OPTIONAL_YEAR },
      async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<RebuildJob | null> {
        return this.jobs.latest(ctx.params.year ?? this.currentYear());
      },
    },

    freeze: {
      rest: "POST /freeze",
      auth: HR_ONLY,
      params: { $$strict: true, year: YEAR },
      async handler(this: This, ctx: Ctx<{ year: number }>): Promise<SnapshotMeta> {
        const user = ctx.meta.user;
        if (!ctx.meta.system && !(user && isCityWide(user))) throw new ForbiddenError("只有市局人教处可以冻结考核结果");
        const { year } = ctx.params;
        if (await this.snapshot(year)) throw new ConflictError("ALREADY_FROZEN", `${year} 年度考核结果已冻结`);
        const scheme = await this.scheme(year);
        const live = await this.liveResults(year);
        const results: SnapshotResults = { scheme: schemeInput(scheme), ...live };
        const canonical = canonicalJson(results);
        const doc: SnapshotDoc = {
          _id: String(year),
          year,
          hash: sha256(canonical),
          frozenAt: this.clock.now(),
          frozenBy: user?.accountId ?? null,
          schemeVersion: scheme.version,
          counts: { staff: live.staff.length, divisions: live.divisions.length, orgs: live.orgs.length },
          results: pack(canonical),
        };
        try {
          await this.m.Snapshot.collection.insertOne(doc as never);
        } catch (err) {
          if (isDuplicateKey(err)) throw new ConflictError("ALREADY_FROZEN", `${year} 年度考核结果已冻结`);
          throw err;
        }
        await this.m.Scheme.collection.updateOne(
          { _id: String(year) } as never,
          {
            $set: {
              ...schemeInput(scheme),
              year,
              frozen: true,
              version: scheme.version,
              updatedAt: this.clock.now(),
              updatedBy: scheme.updatedBy,
            },
          } as never,
          { upsert: true },
        );
        this.snapshots.delete(year);
        this.dropYear(year);
        await audit(ctx, "assessment.freeze", "success", `year:${year}`, { hash: doc.hash });
        return snapshotMeta(doc);
      },
    },

    "snapshots.get": {
      rest: "GET /snapshots/:year",
      auth: RESULT_ROLES,
      params: { $$strict: true, year: YEAR },
      async handler(this: This, ctx: Ctx<{ year: number }>): Promise<Snapshot> {
        const s = await this.snapshot(ctx.params.year);
        if (!s) throw new NotFoundError("SNAPSHOT_NOT_FOUND", `${ctx.params.year} 年度考核结果尚未冻结`);
        return { ...s.meta, results: s.results };
      },
    },

    "snapshots.diff": {
      rest: "GET /snapshots/:year/diff",
      auth: RESULT_ROLES,
      params: { $$strict: true, year: YEAR },
      async handler(this: This, ctx: Ctx<{ year: number }>): Promise<SnapshotDiff> {
        const { year } = ctx.params;
        const s = await this.snapshot(year);
        if (!s) throw new NotFoundError("SNAPSHOT_NOT_FOUND", `${year} 年度考核结果尚未冻结`);
        const current: SnapshotResults = { scheme: s.results.scheme, ...(await this.liveResults(year)) };
        const currentHash = sha256(canonicalJson(current));
        const { changes, total } = diffResults(s.results, current);
        return { year, hash: s.meta.hash, currentHash, same: currentHash === s.meta.hash, changes, total };
      },
    },

    // ---------- demo data ----------
    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional" },
      async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<AssessmentSeedResult> {
        const started = Date.now();
        const hasData = (await this.m.Learning.countDocuments({}).limit(1)) > 0;
        if (hasData && !ctx.params.reset) return { seeded: false };
        await this.people.idle();
        await this.orgYears.idle();
        await emptyModels(Object.values(this.m));
        this.years.clear();
        this.snapshots.clear();
        this.invalidateRefs();
        const refs = await this.refs();
        const active = [...refs.staff.values()].filter((s) => s.status === "active");
        const records = generateLearning(this.today(), active);
        const now = this.clock.now();
        const docs: LearningDoc[] = records.map(({ recordId, ...r }) => ({
          _id: recordId,
          year: yearOf(r.date),
          ...r,
          version: 1,
          updatedAt: now,
        }));
        for (let i = 0; i < docs.length; i += BATCH)
          await this.m.Learning.collection.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
        const rebuild = await this.rebuild(this.currentYear());
        const result = { seeded: true, learningRecords: docs.length, rebuild, ms: Date.now() - started };
        this.logger.info("Demo assessment data seeded", result);
        return result;
      },
    },
  },

  /** Events: cache invalidation between assessment replicas (plain events). */
  events: {
    [CACHE_EVENT]: {
      params: { year: "number" },
      handler(this: This, ctx: Context<{ year: number }>) {
        if (ctx.nodeID !== this.broker.nodeID) this.dropYear(ctx.params.year, false);
      },
    },
  },

  /** Durable channels: the counters' sources. Every write is keyed by source id and version. */
  channels: {
    "indicator.fact.recorded": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"indicator.fact.recorded">) {
        await this.recordFact(event.data);
      },
    },
    "personnel.attendance.changed": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"personnel.attendance.changed">) {
        await Promise.all(
          attendanceMonths(event.data).map(async (m) => {
            const init = { staffId: m.staffId, year: m.year, month: m.month, days: {} };
            await Promise.all(m.days.map((d) => this.attendanceMonths.apply(m.docId, init, "days", d.key, d.entry)));
            // Also when nothing changed (a redelivery): the recount may be what failed last time.
            await this.recountMonth(m.staffId, m.year, m.month);
          }),
        );
      },
    },
    "personnel.staff.changed": {
      group: "assessment",
      handler(this: This, event: DomainEvent<"personnel.staff.changed">) {
        this.invalidateRefs();
        this.scheduleLogs(event.data.orgId, this.currentYear(), this.settings.staffSettleMs);
      },
    },
    "worklog.log.published": {
      group: "assessment",
      handler(this: This, event: DomainEvent<"worklog.log.published">) {
        this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
      },
    },
    "worklog.log.edited": {
      group: "assessment",
      handler(this: This, event: DomainEvent<"worklog.log.edited">) {
        this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
        this.scheduleLogs(event.data.orgId, yearOf(event.data.previousDate));
      },
    },
    "worklog.log.withdrawn": {
      group: "assessment",
      handler(this: This, event: DomainEvent<"worklog.log.withdrawn">) {
        this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
      },
    },
    "calendar.override.changed": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
        const year = yearOf(event.data.date);
        this.deadlineCache.delete(year);
        for (const orgId of (await this.refs()).orgs.keys()) this.scheduleLogs(orgId, year);
      },
    },
    "plans.task.created": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"plans.task.created">) {
        const t = event.data;
        const entry = taskEntry(Date.parse(event.occurredAt), {
          ...t,
          state: "draft",
          parts: [t.leadDivisionId, ...t.cooperatingDivisionIds].map((d) => ({
            divisionId: d,
            status: "not_started" as const,
            progress: 0,
          })),
        });
        await this.orgYears.apply(
          orgYearId("tasks", t.year, t.leadOrgId),
          orgYearInit("tasks", t.year, t.leadOrgId),
          "entries",
          t.taskId,
          entry,
        );
      },
    },
    "plans.task.changed": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"plans.task.changed">) {
        const t = event.data;
        await this.orgYears.apply(
          orgYearId("tasks", t.year, t.leadOrgId),
          orgYearInit("tasks", t.year, t.leadOrgId),
          "entries",
          t.taskId,
          taskEntry(Date.parse(event.occurredAt), t),
        );
      },
    },
    "plans.arrangement.submitted": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"plans.arrangement.submitted">) {
        const s = event.data;
        if (s.scope !== "division") return; // timeliness is assessed per division
        await this.orgYears.apply(
          orgYearId("subs", s.year, s.orgId),
          orgYearInit("subs", s.year, s.orgId),
          "entries",
          submissionKey(s.ownerId, "arrangement", s.month),
          {
            v: Date.parse(s.submittedAt),
            late: s.late ? 1 : 0,
          } as Versioned,
        );
      },
    },
    "plans.completion.submitted": {
      group: "assessment",
      async handler(this: This, event: DomainEvent<"plans.completion.submitted">) {
        const s = event.data;
        if (s.scope !== "division") return;
        await this.orgYears.apply(
          orgYearId("subs", s.year, s.orgId),
          orgYearInit("subs", s.year, s.orgId),
          "entries",
          submissionKey(s.ownerId, "completion", s.month),
          {
            v: Date.parse(s.submittedAt),
            late: s.late ? 1 : 0,
          } as Versioned,
        );
      },
    },
  },

  /** Methods */
  methods: {
    today(this: This): string {
      return localDate(this.clock.now());
    },

    currentYear(this: This): number {
      return yearOf(this.today());
    },

    /** Organisations, divisions and staff from personnel, cached until a staff record changes. */
    async refs(this: This): Promise<Refs> {
      this.refsPromise ??= (async () => {
        const [orgs, directory] = await Promise.all([
          this.broker.call<OrgWithDivisions[], object>("personnel.orgs.list", {}, SYSTEM),
          this.broker.call<DirectoryEntry[], object>("personnel.staff.directory", {}, SYSTEM),
        ]);
        return {
          orgs: new Map(
            orgs.map((o) => [o.id, { id: o.id, name: o.name, shortName: o.shortName, order: o.order, kind: o.kind }]),
          ),
          divisions: new Map(
            orgs.flatMap((o) =>
              o.divisions.map((d) => [
                d.id,
                {
                  id: d.id,
                  orgId: d.orgId,
                  name: d.name,
                  order: o.order * 1000 + d.order,
                  reports: d.kind !== "leadership",
                },
              ]),
            ),
          ),
          staff: new Map(directory.map((s) => [s.id, s])),
        };
      })();
      const p = this.refsPromise;
      return p.catch((err) => {
        if (this.refsPromise === p) this.refsPromise = null;
        throw err;
      });
    },

    invalidateRefs(this: This): void {
      this.refsPromise = null;
      for (const c of this.years.values()) c.results = null;
    },

    /** The year's documents: one scan each of two small collections, then kept current by the writers. */
    async yearCache(this: This, year: number): Promise<YearCache> {
      let c = this.years.get(year);
      if (!c) this.years.set(year, (c = { people: new Map(), orgDocs: new Map(), ready: null, results: null }));
      const cache = c;
      cache.ready ??= (async () => {
        const [people, orgDocs] = await Promise.all([
          this.m.Person.collection.find({ year } as never).toArray() as unknown as Promise<PersonDoc[]>,
          this.m.OrgYear.collection.find({ year } as never).toArray() as unknown as Promise<OrgYearDoc[]>,
        ]);
        // A write that landed meanwhile is newer than what the scan read.
        for (const p of people) if (!cache.people.has(p.staffId)) cache.people.set(p.staffId, p);
        // Person documents from before the month split held the days (`att`) and no counters: rebuild.
        if (people.some((p) => "att" in p))
          void this.jobs.start(year, null).then(
            (job) => this.logger.warn(`${year} 年考核计数为旧格式（考勤明细在人员文档中），已开始重建: ${job.id}`),
            (err) => this.logger.error("旧格式考核计数的重建未能开始:", err),
          );
        for (const d of orgDocs) if (!cache.orgDocs.has(d._id)) cache.orgDocs.set(d._id, d);
      })().catch((err) => {
        cache.ready = null;
        throw err;
      });
      await cache.ready;
      return cache;
    },

    docWritten(this: This, doc: PersonDoc | OrgYearDoc): void {
      const c = this.years.get(doc.year);
      if (c) {
        if ("staffId" in doc) c.people.set(doc.staffId, doc);
        else c.orgDocs.set(doc._id, doc);
        c.results = null;
      }
      this.broker.broadcast(CACHE_EVENT, { year: doc.year });
    },

    dropYear(this: This, year: number, broadcast = true): void {
      this.years.delete(year);
      this.snapshots.delete(year);
      if (broadcast) this.broker.broadcast(CACHE_EVENT, { year });
    },

    async scheme(this: This, year: number): Promise<Scheme> {
      const doc = (await this.m.Scheme.collection.findOne({ _id: String(year) } as never)) as SchemeDoc | null;
      return schemeView(year, doc);
    },

    /** Due dates of the year's monthly arrangements and reports, from plans (its calendar and settings). */
    async deadlines(this: This, year: number): Promise<YearDeadlines> {
      let p = this.deadlineCache.get(year);
      if (!p) {
        p = Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            this.broker.call<{ arrangementDue: string; completionDue: string }, object>(
              "plans.deadlines.get",
              { year, month: i + 1 },
              SYSTEM,
            ),
          ),
        ).then((ms) => ({ arrangement: ms.map((m) => m.arrangementDue), completion: ms.map((m) => m.completionDue) }));
        this.deadlineCache.set(year, p);
        p.catch(() => this.deadlineCache.delete(year));
        // Plans' due-day setting has no event: look again after a while.
        setTimeout(() => this.deadlineCache.get(year) === p && this.deadlineCache.delete(year), 600_000).unref();
      }
      return p;
    },

    /** Scores computed from the read model now, cached until a document, the scheme or the day changes. */
    async liveResults(this: This, year: number): Promise<YearResults> {
      const [refs, cache, scheme, deadlines] = await Promise.all([
        this.refs(),
        this.yearCache(year),
        this.scheme(year),
        this.deadlines(year),
      ]);
      const today = this.today();
      const key = `${today}|${scheme.version}|${scheme.isDefault}`;
      if (cache.results?.key === key) return cache.results.value;
      const tasks: TaskEntry[] = [];
      const subs: Record<string, Versioned> = {};
      const logs = new Map<string, LogEntry>();
      for (const d of cache.orgDocs.values()) {
        if (d.kind === "tasks") tasks.push(...(Object.values(d.entries) as TaskEntry[]));
        else if (d.kind === "subs") Object.assign(subs, d.entries);
        else for (const [staffId, e] of Object.entries(d.entries)) logs.set(staffId, e as LogEntry);
      }
      const staff: StaffRef[] = [...refs.staff.values()]
        .filter((s) => s.status === "active")
        .map((s) => ({ id: s.id, name: s.name, orgId: s.orgId, divisionId: s.divisionId }));
      const value = computeYear({
        today: today < `${year}-12-31` ? today : `${year + 1}-01-01`,
        scheme: schemeInput(scheme),
        orgs: [...refs.orgs.values()],
        divisions: [...refs.divisions.values()],
        staff,
        people: cache.people,
        tasks,
        subs,
        logs,
        deadlines,
      });
      cache.results = { key, value };
      return value;
    },

    /** A frozen year's snapshot, else the live results. */
    async results(this: This, year: number): Promise<{ results: YearResults; frozen: boolean }> {
      const s = await this.snapshot(year);
      if (s) return { results: s.results, frozen: true };
      return { results: await this.liveResults(year), frozen: false };
    },

    async snapshot(this: This, year: number): Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null> {
      let p = this.snapshots.get(year);
      if (!p) {
        p = (async () => {
          const doc = (await this.m.Snapshot.collection.findOne({ _id: String(year) } as never)) as SnapshotDoc | null;
          return doc ? { meta: snapshotMeta(doc), results: JSON.parse(unpack(doc.results)) as SnapshotResults } : null;
        })();
        this.snapshots.set(year, p);
        p.catch(() => this.snapshots.delete(year));
      }
      return p;
    },

    /** The person document's counters of one month, from the month's days as stored now. */
    async recountMonth(this: This, staffId: string, year: number, month: number): Promise<void> {
      const doc = (await this.m.AttendanceMonth.collection.findOne({
        _id: attendanceMonthId(staffId, year, month),
      } as never)) as AttendanceMonthDoc | null;
      if (!doc) return;
      await this.people.apply(
        personDocId(staffId, year),
        personInit(staffId, year),
        "months",
        monthKey(month),
        monthCount(doc.days),
      );
    },

    async recordFact(this: This, f: IndicatorFact): Promise<void> {
      const year = yearOf(f.date);
      await this.people.apply(
        personDocId(f.staffId, year),
        personInit(f.staffId, year),
        "facts",
        encodeKey(f.factId),
        factEntry(f),
      );
    },

    /** Log compliance is worklog's to compute (its policies, calendar and deadlines); a burst of log events refreshes it once. */
    scheduleLogs(this: This, orgId: string, year: number, delayMs = this.settings.logRefreshMs ?? 200): void {
      const key = `${orgId}|${year}`;
      if (this.logTimers.has(key)) return;
      const sinceLast = Date.now() - (this.logStarted.get(key) ?? 0);
      this.logTimers.set(
        key,
        setTimeout(
          () => {
            this.logTimers.delete(key);
            this.logStarted.set(key, Date.now());
            const previous = this.logRuns.get(key) ?? Promise.resolve();
            const run = previous
              .then(() => this.refreshLogs(orgId, year))
              .catch((err) => this.logger.warn(`日志合规刷新失败 ${key}:`, err));
            this.logRuns.set(key, run);
            void run.finally(() => this.logRuns.get(key) === run && this.logRuns.delete(key));
          },
          Math.max(delayMs, (this.settings.logRefreshGapMs ?? 0) - sinceLast),
        ),
      );
    },

    async refreshLogs(this: This, orgId: string, year: number): Promise<void> {
      const report = await this.broker.call<ComplianceReport, object>(
        "worklog.compliance.report",
        { from: `${year}-01-01`, to: `${year}-12-31`, orgId },
        SYSTEM,
      );
      const v = Date.now();
      const entries = Object.fromEntries(
        report.people.map((p) => [p.staffId, { v, due: p.due, done: p.done, onTime: p.onTime }]),
      );
      await this.orgYears.replace({ _id: orgYearId("logs", year, orgId), kind: "logs", year, orgId, entries });
    },

    /** Learning records: new or changed ones stored with the next version, and applied as facts. */
    async writeLearning(this: This, records: CheckedRecord[]): Promise<LearningImportResult> {
      const ids = records.map((r) => r.recordId);
      // Few records: `_id` lookups; many: one scan is cheaper than thousands of lookups.
      const existing = (ids.length <= 200
        ? await Promise.all(ids.map((id) => this.m.Learning.collection.findOne({ _id: id } as never)))
        : await this.m.Learning.collection.find({ _id: { $in: ids } } as never).toArray()
      ).filter(Boolean) as unknown as LearningDoc[];
      const byId = new Map(existing.map((d) => [d._id, d]));
      const now = this.clock.now();
      const result: LearningImportResult = { created: 0, updated: 0, unchanged: 0 };
      const writes: LearningDoc[] = [];
      const facts: IndicatorFact[] = [];
      for (const r of records) {
        const old = byId.get(r.recordId);
        if (
          old &&
          old.staffId === r.staffId &&
          old.date === r.date &&
          old.hours === r.hours &&
          old.course === r.course
        ) {
          result.unchanged++;
          continue;
        }
        const version = (old?.version ?? 0) + 1;
        const { recordId, ...rest } = r;
        writes.push({ _id: recordId, year: yearOf(r.date), ...rest, version, updatedAt: now });
        if (old) result.updated++;
        else result.created++;
        const fact = (
          x: { staffId: string; orgId: string; divisionId: string; date: string },
          value: number,
        ): IndicatorFact => ({
          factId: `learn:${recordId}`,
          version,
          kind: "learning",
          staffId: x.staffId,
          orgId: x.orgId,
          divisionId: x.divisionId,
          date: x.date,
          value,
          label: r.course,
          level: null,
        });
        // A record moved to another person or year leaves a retraction where it was.
        if (old && (old.staffId !== r.staffId || yearOf(old.date) !== yearOf(r.date))) facts.push(fact(old, 0));
        facts.push(fact(r, r.hours));
      }
      for (let i = 0; i < writes.length; i += BATCH)
        await this.m.Learning.collection.bulkWrite(
          writes
            .slice(i, i + BATCH)
            .map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })) as never,
          { ordered: false },
        );
      await Promise.all(facts.map((f) => this.recordFact(f)));
      return result;
    },

    lookup(this: This, ctx: Ctx<unknown>, refs: Refs): StaffLookup {
      return {
        staff: (id) => refs.staff.get(id),
        mayRecordFor: (orgId) => !!ctx.meta.system || (!!ctx.meta.user && canAdministerOrg(ctx.meta.user, orgId)),
      };
    },

    /**
     * Recomputes the year's read model from the source services and replaces every document.
     * `report` hears the phase and progress (the background job's status) and what was left out.
     */
    async rebuild(this: This, year: number, report?: JobReport): Promise<RebuildResult> {
      const started = Date.now();
      const phasesMs: Record<string, number> = {};
      let mark = started;
      const progress = (name: RebuildPhase, done = 0, total = 0): void => report?.progress(name, done, total);
      const phase = (name: string, next?: RebuildPhase): void => {
        phasesMs[name] = Date.now() - mark;
        mark = Date.now();
        if (next) progress(next);
      };
      progress("facts");
      const v = Date.now();
      this.invalidateRefs();
      const refs = await this.refs();
      const lastMonth =
        year < this.currentYear() ? 12 : year > this.currentYear() ? 0 : Number(this.today().slice(5, 7));
      const months = Array.from({ length: lastMonth }, (_, i) => i + 1);
      const orgIds = [...refs.orgs.keys()];
      const people = new Map<string, PersonDoc>();
      const person = (staffId: string): PersonDoc => {
        let p = people.get(staffId);
        if (!p) people.set(staffId, (p = { _id: personDocId(staffId, year), staffId, year, facts: {}, months: {} }));
        return p;
      };
      await this.people.idle();
      const current = await this.yearCache(year);
      for (const s of refs.staff.values()) if (s.status === "active") person(s.id);

      // Indicator facts: learning from our own records, information and publicity from notices.
      const learning = (await this.m.Learning.collection.find({ year } as never).toArray()) as unknown as LearningDoc[];
      const facts: { staffId: string; id: string; entry: FactEntry }[] = learning.map((d) => ({
        staffId: d.staffId,
        id: `learn:${d._id}`,
        entry: { k: "learning", v: d.version, d: d.date, x: d.hours, l: d.course, lv: null },
      }));
      const noticesUp = this.broker.registry
        .getServiceList({ onlyAvailable: true, skipInternal: true })
        .some((svc) => svc.name === "info");
      if (noticesUp) {
        for (let cursor: string | null = null; ;) {
          const page: FactsResult = await this.broker.call<FactsResult, FactsParams>(
            "info.facts.list",
            { year, limit: 5000, ...(cursor ? { cursor } : {}) },
            REBUILD_CALL,
          );
          for (const f of page.facts) facts.push({ staffId: f.staffId, id: f.factId, entry: factEntry(f) });
          if (!(cursor = page.nextCursor)) break;
        }
      } else {
        // Without notices, keep the information and publicity facts already counted rather than lose them.
        const warning = "notices 服务不可用：信息报送和宣传保留现有计数";
        this.logger.warn(warning);
        report?.warn(warning);
        for (const p of current.people.values())
          for (const [id, f] of Object.entries(p.facts))
            if (f.k !== "learning") facts.push({ staffId: p.staffId, id: decodeKey(id), entry: f });
      }
      phase("facts", "attendance");
      for (const f of facts) {
        const doc = person(f.staffId);
        const key = encodeKey(f.id);
        if (!doc.facts[key] || doc.facts[key].v < f.entry.v) doc.facts[key] = f.entry;
      }

      // Attendance: each month of the whole bureau from personnel, in one read per month; the days go
      // to the (person, month) documents, their counters to the person documents.
      let attendanceDays = 0;
      let monthsRead = 0;
      const monthDocs: AttendanceMonthDoc[] = [];
      await inParallel(months, 2, async (month) => {
        const rows = await this.broker.call<StaffMonthDays[], object>(
          "personnel.attendance.monthAll",
          { year, month },
          REBUILD_CALL,
        );
        for (const p of rows) {
          const days: Record<string, DayEntry> = {};
          for (const [day, s] of Object.entries(p.days)) days[day] = { s, v };
          if (!Object.keys(days).length) continue;
          monthDocs.push({ _id: attendanceMonthId(p.staffId, year, month), staffId: p.staffId, year, month, days });
          person(p.staffId).months[monthKey(month)] = monthCount(days);
          attendanceDays += Object.keys(days).length;
        }
        progress("attendance", ++monthsRead, months.length);
      });

      phase("attendance", "tasks");
      // Tasks: the year's completion matrix (every part of every task).
      const matrix = await this.broker.call<CompletionMatrix, object>("plans.matrix", { year }, REBUILD_CALL);
      const taskDocs = new Map<string, OrgYearDoc>();
      const cells = new Map<string, CompletionMatrix["cells"]>();
      for (const c of matrix.cells) cells.set(c.taskId, [...(cells.get(c.taskId) ?? []), c]);
      for (const t of matrix.tasks) {
        const orgId = refs.divisions.get(t.leadDivisionId)?.orgId;
        if (!orgId) continue;
        const id = orgYearId("tasks", year, orgId);
        if (!taskDocs.has(id)) taskDocs.set(id, { _id: id, kind: "tasks", year, orgId, entries: {} });
        const parts = (cells.get(t.id) ?? []).sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1));
        taskDocs.get(id)!.entries[t.id] = {
          v, // the rebuild's time: events after it replace the entry, older redeliveries do not
          w: t.weight,
          due: t.dueDate,
          ok: t.state === "approved" ? 1 : 0,
          parts: parts.map((c) => ({ d: c.divisionId, st: c.status, p: c.progress })),
        } as TaskEntry;
      }

      phase("tasks", "submissions");
      // Monthly submissions of the divisions that report.
      const subDocs = new Map<string, OrgYearDoc>(
        orgIds.map((o) => [
          orgYearId("subs", year, o),
          { _id: orgYearId("subs", year, o), kind: "subs", year, orgId: o, entries: {} },
        ]),
      );
      let submissions = 0;
      let divMonthsRead = 0;
      const divMonths = [...refs.divisions.values()]
        .filter((d) => d.reports)
        .flatMap((d) =>
          months.concat(lastMonth < 12 && lastMonth > 0 ? [lastMonth + 1] : []).map((month) => ({ d, month })),
        );
      await inParallel(divMonths, 8, async ({ d, month }) => {
        const view = await this.broker.call<MonthView, object>(
          "plans.months.get",
          { scope: "division", ownerId: d.id, year, month },
          REBUILD_CALL,
        );
        for (const kind of ["arrangement", "completion"] as const) {
          const part = view[kind];
          if (!part?.submittedAt) continue;
          subDocs.get(orgYearId("subs", year, d.orgId))!.entries[submissionKey(d.id, kind, month)] = {
            v: Date.parse(part.submittedAt),
            late: localDate(new Date(part.submittedAt)) > part.dueDate ? 1 : 0,
          } as Versioned;
          submissions++;
        }
        progress("submissions", ++divMonthsRead, divMonths.length);
      });

      phase("submissions", "logs");
      // Log compliance, per organisation, from worklog.
      let orgsRead = 0;
      const logDocs = await inParallel(orgIds, 4, async (orgId) => {
        const compliance = await this.broker.call<ComplianceReport, object>(
          "worklog.compliance.report",
          { from: `${year}-01-01`, to: `${year}-12-31`, orgId },
          REBUILD_CALL,
        );
        progress("logs", ++orgsRead, orgIds.length);
        return {
          _id: orgYearId("logs", year, orgId),
          kind: "logs" as const,
          year,
          orgId,
          entries: Object.fromEntries(
            compliance.people.map((p) => [p.staffId, { v, due: p.due, done: p.done, onTime: p.onTime }]),
          ),
        };
      });

      phase("logs", "write");
      // Documents of the year no longer backed by any source are emptied.
      for (const p of current.people.values()) person(p.staffId);
      const orgDocs = [...taskDocs.values(), ...subDocs.values(), ...logDocs];
      const orgDocIds = new Set(orgDocs.map((d) => d._id));
      for (const d of current.orgDocs.values())
        if (!orgDocIds.has(d._id)) orgDocs.push({ _id: d._id, kind: d.kind, year, orgId: d.orgId, entries: {} });
      // Month documents in bulk (tens of thousands; only recounts read them), removing the months a
      // person document counted that no source backs now. Then the person documents, which hold the counters.
      const monthIds = new Set(monthDocs.map((d) => d._id));
      const staleMonths = [...current.people.values()].flatMap((p) =>
        Object.keys(p.months ?? {})
          .map((mm) => attendanceMonthId(p.staffId, year, Number(mm)))
          .filter((id) => !monthIds.has(id)),
      );
      const total = monthDocs.length + staleMonths.length + people.size + orgDocs.length;
      let written = 0;
      await this.attendanceMonths.idle();
      const monthWrites = [
        ...monthDocs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
        ...staleMonths.map((id) => ({ deleteOne: { filter: { _id: id } } })),
      ];
      for (let i = 0; i < monthWrites.length; i += BATCH / 2) {
        const batch = monthWrites.slice(i, i + BATCH / 2);
        await this.m.AttendanceMonth.collection.bulkWrite(batch as never, { ordered: false });
        progress("write", (written += batch.length), total);
      }
      await inParallel([...people.values()], 16, async (p) => {
        await this.people.replace(p);
        if (++written % 100 === 0) progress("write", written, total);
      });
      await inParallel(orgDocs, 8, (d) => this.orgYears.replace(d));
      progress("write", total, total);
      // No drop of the year's cache: the writers' onWritten put every document in it as written, and
      // invalidated the scores; a dropped cache would make the next summary read the year cold again.
      phase("write");
      return {
        year,
        people: people.size,
        divisions: refs.divisions.size,
        facts: facts.length,
        attendanceDays,
        tasks: matrix.tasks.length,
        submissions,
        ms: Date.now() - started,
        phasesMs,
      };
    },

    /** Own record; the head of the division, administrators of the organisation and leaders (canEnterAttendance). */
    seesPrivate(this: This, ctx: Ctx<unknown>, s: Pick<StaffResult, "staffId" | "orgId" | "divisionId">): boolean {
      if (ctx.meta.system) return true;
      const user = ctx.meta.user as AuthUser | undefined;
      if (!user) return false;
      return user.staffId === s.staffId || canEnterAttendance(user, s.orgId, s.divisionId);
    },

    /**
     * A summary file, built once per results, table and reader: building the whole-bureau .xlsx
     * takes most of a second, and HR, leaders and a second click ask for the same file.
     */
    async summaryFile<F extends Buffer | string>(
      this: This,
      ctx: Ctx<SummaryParams & { table: SummaryTable }>,
      format: "xlsx" | "html",
      build: (t: SummaryTables) => Promise<F> | F,
    ): Promise<{ title: string; file: F }> {
      const t = await this.summaryTables(ctx, ctx.params);
      const { year, table, orgId, divisionId } = ctx.params;
      const key = [format, year, table, orgId, divisionId, t.viewer, this.today()].join("|");
      let files = this.files.get(t.results);
      if (!files) this.files.set(t.results, (files = new Map()));
      let file = files.get(key);
      if (!file) {
        // Per-reader files of one organisation are small; still, keep at most a few dozen per results.
        if (files.size >= 32) files.delete(files.keys().next().value!);
        const built = Promise.resolve(build(t));
        files.set(key, built);
        built.catch(() => files.get(key) === built && files.delete(key));
        file = built;
      }
      return { title: t.title, file: (await file) as F };
    },

    /**
     * After a start, reads the current year's read model and sources (refs, deadlines) and loads the
     * workbook code, in the background: the first summary then reads no database.
     */
    async warmUp(this: This): Promise<void> {
      await this.broker.waitForServices(["personnel", "plans"], 300_000);
      // A platform starting up is busy: a source call may time out; try again a little later.
      for (let attempt = 1; ; attempt++)
        try {
          await this.liveResults(this.currentYear());
          break;
        } catch (err) {
          if (attempt >= 5 || !this.broker.started) throw err;
          await new Promise((r) => setTimeout(r, 10_000));
        }
      await tablesWorkbook([]);
    },

    async summaryTables(
      this: This,
      ctx: Ctx<unknown>,
      p: SummaryParams & { table: SummaryTable },
    ): Promise<SummaryTables> {
      const year = p.year ?? this.currentYear();
      const refs = await this.refs();
      const user = ctx.meta.user as AuthUser | undefined;
      if (p.divisionId && !refs.divisions.has(p.divisionId))
        throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
      if (p.orgId && !refs.orgs.has(p.orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      const { results, frozen } = await this.results(year);
      const generated = `${localDate(this.clock.now())}${frozen ? "（已冻结）" : ""}`;
      const viewer = ctx.meta.system || (user && isCityWide(user)) ? "all" : `account:${user?.accountId ?? "-"}`;
      const cut = { results, viewer };
      const orgName = (id: string): string => refs.orgs.get(id)?.name ?? id;
      const staffOf = (filter: (s: StaffResult) => boolean): StaffResult[] =>
        results.staff
          .filter(filter)
          .sort(
            (a, b) => (refs.orgs.get(a.orgId)?.order ?? 0) - (refs.orgs.get(b.orgId)?.order ?? 0) || a.rank - b.rank,
          )
          .map((s) => (this.seesPrivate(ctx, s) ? s : redact(s)));
      const byOrgThenRank = (a: DivisionResult, b: DivisionResult): number =>
        (refs.orgs.get(a.orgId)?.order ?? 0) - (refs.orgs.get(b.orgId)?.order ?? 0) || a.rank - b.rank;
      switch (p.table) {
        case "bureau": {
          if (!ctx.meta.system && !(user && isCityWide(user)))
            throw new ForbiddenError("全局汇总表仅限市局人教处、局领导和系统管理员");
          return {
            ...cut,
            title: `${year}年度全局考核汇总表`,
            tables: [
              countiesTable(year, results.orgs, generated),
              divisionsTable(year, "全局", [...results.divisions].sort(byOrgThenRank), orgName, generated),
              staffTable(
                year,
                "全局",
                staffOf(() => true),
                orgName,
                generated,
              ),
            ],
          };
        }
        case "counties":
          return {
            ...cut,
            title: `${year}年度县区考核对比排名表`,
            tables: [countiesTable(year, results.orgs, generated)],
          };
        case "divisions": {
          const orgId = p.orgId ?? user?.orgId ?? CITY_ORG_ID;
          const name = orgName(orgId);
          const rows = results.divisions.filter((d) => d.orgId === orgId).sort(byOrgThenRank);
          return {
            ...cut,
            title: `${year}年度${name}处室考核汇总表`,
            tables: [divisionsTable(year, name, rows, orgName, generated)],
          };
        }
        case "staff": {
          const division = p.divisionId ? refs.divisions.get(p.divisionId) : undefined;
          const orgId = division?.orgId ?? p.orgId ?? user?.orgId;
          if (!orgId) throw fieldError("orgId", "请指定单位或处室");
          const name = `${orgName(orgId)}${division?.name ?? ""}`;
          const rows = staffOf((s) => s.orgId === orgId && (!division || s.divisionId === division.id));
          return {
            ...cut,
            title: `${year}年度${name}干部职工考核汇总表`,
            tables: [staffTable(year, name, rows, orgName, generated)],
          };
        }
      }
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.years = new Map();
    this.refsPromise = null;
    this.deadlineCache = new Map();
    this.snapshots = new Map();
    this.logTimers = new Map();
    this.logSweep = null;
    this.logRuns = new Map();
    this.logStarted = new Map();
    this.files = new WeakMap();
    // Locked per document in Redis as well: assessment may run as several replicas (k8s values).
    const opts = { onWritten: (d: PersonDoc | OrgYearDoc) => this.docWritten(d), lockPrefix: "assessment:doc:" };
    this.people = new DocWriter<PersonDoc>(this.m.Person, opts);
    this.attendanceMonths = new DocWriter<AttendanceMonthDoc>(this.m.AttendanceMonth, { lockPrefix: opts.lockPrefix });
    this.jobs = new RebuildJobs(
      this.m.RebuildJob,
      (year, report) => this.rebuild(year, report),
      (id, err) => this.logger.error(`重建任务 ${id} 出错:`, err),
    );
    this.orgYears = new DocWriter<OrgYearDoc>(this.m.OrgYear, opts);
  },

  started(this: This) {
    void this.warmUp().catch((err) => this.logger.warn("考核读模型预热失败（首次汇总时再读）:", err));
    const every = this.settings.logSweepMs ?? 0;
    if (every > 0)
      this.logSweep = setInterval(() => {
        void this.refs()
          .then((refs) => {
            for (const orgId of refs.orgs.keys()) this.scheduleLogs(orgId, this.currentYear());
          })
          .catch((err) => this.logger.warn("日志合规定时刷新失败:", err));
      }, every);
  },

  async stopped(this: This) {
    if (this.logSweep) clearInterval(this.logSweep);
    for (const t of this.logTimers.values()) clearTimeout(t);
    await Promise.all([...this.logRuns.values()]);
    await this.jobs.stop();
    await this.attendanceMonths.idle();
    await this.people.idle();
    await this.orgYears.idle();
  },
};

export default AssessmentService as unknown as ServiceSchema;
