/**
 * Assessment (考核): indicator counters fed by durable events, schemes, scores and grades, frozen
 * year-end snapshots and the one-click summaries (.xlsx and print-ready HTML).
 * Owns the `<namespace>_assessment` database; the logic lives in the pure modules beside it.
 */
import type { Context, ServiceSchema } from "moleculer";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import { EntryWriter } from "../../shared/store/entry-writer";
import { demoActions } from "./actions/demo";
import { learningActions } from "./actions/learning";
import { rebuildActions } from "./actions/rebuild";
import { schemeActions } from "./actions/schemes";
import { snapshotActions } from "./actions/snapshots";
import { summaryActions } from "./actions/summaries";
import { channels } from "./channels";
import type { AttendanceMonthDoc, OrgYearDoc, PersonDoc } from "./counters";
import { counterStoreMethods } from "./data/counters-store";
import { learningStoreMethods } from "./data/learning-store";
import { registerModels } from "./data/models";
import { CACHE_EVENT, readModelMethods } from "./data/read-model";
import { rebuildMethods } from "./data/rebuild";
import { Jobs } from "../../shared/store/jobs";
import type { Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const AssessmentService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "assessment",
  mixins: [dbMixin("assessment")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
    logSweepMs: 3_600_000,
  },

  /** Actions */
  actions: {
    ...schemeActions,
    ...summaryActions,
    ...learningActions,
    ...rebuildActions,
    ...snapshotActions,
    ...demoActions,
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

  /** Durable channels: the counters' sources. */
  channels,

  /** Methods */
  methods: {
    ...readModelMethods,
    ...counterStoreMethods,
    ...learningStoreMethods,
    ...rebuildMethods,
    ...viewMethods,
  } satisfies Methods,

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.years = new Map();
    this.refsPromise = null;
    this.deadlineCache = new Map();
    this.snapshots = new Map();
    this.logSweep = null;
    this.logSweepRun = null;
    this.files = new WeakMap();
    // Locked per document in Redis as well: assessment may run as several replicas (k8s values).
    const opts = { onWritten: (d: PersonDoc | OrgYearDoc) => this.docWritten(d), lockPrefix: "assessment:doc:" };
    this.people = new EntryWriter<PersonDoc>(this.m.Person, opts);
    this.attendanceMonths = new EntryWriter<AttendanceMonthDoc>(this.m.AttendanceMonth, {
      lockPrefix: opts.lockPrefix,
    });
    this.jobs = new Jobs(this.m.RebuildJob, {
      lockName: "assessment:rebuild",
      run: (year: number, report) => this.rebuild(year, report),
      onError: (id, err) => this.logger.error(`重建任务 ${id} 出错:`, err),
      interrupted: "重建进程已中断（服务停止或重启），请重新发起",
      stopped: "服务停止，重建未完成，请重新发起",
    });
    this.imports = new Jobs(this.m.ImportJob, {
      lockName: "assessment:import",
      run: (input, report) => this.applyLearningImport(input, report),
      onError: (id, err) => this.logger.error(`学习记录导入任务 ${id} 出错:`, err),
      interrupted: "导入进程已中断（服务停止或重启）；已写入的批次保留，请重新导入同一文件以完成其余部分",
      stopped: "服务停止，导入未完成；请重新导入同一文件以完成其余部分",
    });
    this.orgYears = new EntryWriter<OrgYearDoc>(this.m.OrgYear, opts);
  },

  started(this: This) {
    void this.warmUp().catch((err) => this.logger.warn("考核读模型预热失败（首次汇总时再读）:", err));
    const every = this.settings.logSweepMs ?? 0;
    if (every > 0) this.logSweep = setInterval(() => this.sweepLogs(), every);
  },

  async stopped(this: This) {
    if (this.logSweep) clearInterval(this.logSweep);
    await this.logSweepRun;
    await this.jobs.stop();
    await this.imports.stop();
    await this.attendanceMonths.idle();
    await this.people.idle();
    await this.orgYears.idle();
  },
};

export default AssessmentService as unknown as ServiceSchema;
