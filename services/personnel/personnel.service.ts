/**
 * Personnel: organisations, divisions, posts (A/B), staff records, attendance, the working-day
 * calendar's overrides (调休), Excel import/export and the demo data. Owns the `<namespace>_personnel` database.
 */
import type { ServiceSchema } from "moleculer";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import { localDate } from "../../shared/time";
import { accessMethods } from "./access";
import { attendanceActions } from "./actions/attendance";
import { calendarActions, calendarMethods } from "./actions/calendar";
import { demoActions } from "./actions/demo";
import { excelActions } from "./actions/excel";
import { orgActions } from "./actions/orgs";
import { postActions } from "./actions/posts";
import { staffActions } from "./actions/staff";
import { attendanceMethods } from "./data/attendance";
import { registerModels } from "./data/models";
import { importMethods } from "./data/imports";
import { storeMethods } from "./data/store";
import { Jobs } from "../../shared/store/jobs";
import type { Methods, Settings, This, Vars } from "./personnel.types";

const PersonnelService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "personnel",
  mixins: [dbMixin("personnel")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...orgActions,
    ...postActions,
    ...staffActions,
    ...attendanceActions,
    ...calendarActions,
    ...excelActions,
    ...demoActions,
  },

  /** Methods */
  methods: {
    today(this: This): string {
      return localDate(this.clock.now());
    },
    ...storeMethods,
    ...accessMethods,
    ...attendanceMethods,
    ...calendarMethods,
    ...importMethods,
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.orgs = new Map();
    this.divisions = new Map();
    this.attendanceReady = new Map();
    this.attendanceTimer = null;
    this.imports = new Jobs(this.m.ImportJob, {
      lockName: "personnel:import",
      run: (input, report) => this.runImport(input, report),
      onError: (id, err) => this.logger.error(`人员导入任务 ${id} 出错:`, err),
      interrupted: "导入进程已中断（服务停止或重启）；已写入的批次保留，请重新导入同一文件以完成其余部分",
      stopped: "服务停止，导入未完成；请重新导入同一文件以完成其余部分",
    });
  },

  async started(this: This) {
    await this.ensureOrgs();
    await this.loadRefs();
    await this.ensureAttendanceMonths();
    this.attendanceTimer = setInterval(
      () => void this.ensureAttendanceMonths().catch((err) => this.logger.warn("考勤月份集合未能提前创建:", err)),
      24 * 3600_000,
    );
    this.attendanceTimer.unref();
  },

  async stopped(this: This) {
    if (this.attendanceTimer) clearInterval(this.attendanceTimer);
    await this.imports.stop();
  },
};

export default PersonnelService as unknown as ServiceSchema;
