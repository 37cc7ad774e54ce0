/**
 * Plans: annual tasks (年度任务) with lead and cooperating divisions, HR approval and history,
 * .xlsx import, HR's completion matrix, monthly arrangements (每月工作安排) and completion reports
 * (上月完成情况) with deadlines and overdue lists, and evidence: the work logs linked to each task,
 * kept from the worklog channels. Owns the `<namespace>_plans` database.
 */
import type { Context, ServiceSchema } from "moleculer";
import { OverrideCopy } from "../../shared/calendar";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import { RevWriter } from "../../shared/store/rev-writer";
import { accessMethods } from "./access";
import { deadlineActions, overdueMethods } from "./actions/deadlines";
import { demoActions, demoMethods } from "./actions/demo";
import { matrixActions, matrixMethods } from "./actions/matrix";
import { monthActions } from "./actions/months";
import { pageActions } from "./actions/pages";
import { taskActions } from "./actions/tasks";
import { channels, evidenceMethods } from "./channels";
import { DocCache } from "./data/doc-cache";
import { lookupMethods } from "./data/lookups";
import { registerModels } from "./data/models";
import { RELOAD_MS, storeMethods } from "./data/store";
import { taskImportMethods } from "./data/task-import";
import { taskStoreMethods } from "./data/tasks";
import { Jobs } from "../../shared/store/jobs";
import type { Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const PlansService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "plans",
  mixins: [dbMixin("plans")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...taskActions,
    ...matrixActions,
    ...monthActions,
    ...deadlineActions,
    ...pageActions,
    ...demoActions,
  },

  /** Events: another plans replica wrote these documents (not durable; the periodic reload covers a loss). */
  events: {
    "plans.cache.changed": {
      params: {
        keys: { type: "array", items: { type: "object", props: { collection: "string", id: "string" } } },
        reset: "boolean|optional",
      },
      async handler(this: This, ctx: Context<{ keys: { collection: string; id: string }[]; reset?: boolean }>) {
        if (ctx.nodeID === this.broker.nodeID) return;
        if (ctx.params.reset) {
          this.docs.clear();
          await this.preload();
          return;
        }
        for (const { collection, id } of ctx.params.keys) {
          const fresh = await this.db.collection(collection).findOne({ _id: id } as never);
          this.docs.put(collection, id, fresh as { _id: string } | null);
        }
      },
    },
  },

  /** Durable channels */
  channels,

  /** Methods */
  methods: {
    ...lookupMethods,
    ...accessMethods,
    ...storeMethods,
    ...taskStoreMethods,
    ...taskImportMethods,
    ...viewMethods,
    ...matrixMethods,
    ...overdueMethods,
    ...evidenceMethods,
    ...demoMethods,
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.calendarCopy = new OverrideCopy(this.m.Override, this.broker);
    this.refsCache = null;
    this.calendarCache = null;
    this.docs = new DocCache();
    this.writer = new RevWriter({
      lockPrefix: "plans:rev:",
      onWritten: (collection, doc) => this.cached(collection, doc),
    });
    this.reloadTimer = null;
    this.imports = new Jobs(this.m.ImportJob, {
      lockName: "plans:import",
      run: (input, report) => this.applyTaskImport(input, report),
      onError: (id, err) => this.logger.error(`任务导入 ${id} 出错:`, err),
      interrupted: "导入进程已中断（服务停止或重启）；已写入的批次保留，请重新导入同一文件以完成其余部分",
      stopped: "服务停止，导入未完成；请重新导入同一文件以完成其余部分",
    });
  },

  started(this: This) {
    const reload = () =>
      this.preload().catch((err: Error) => this.logger.warn("Plans documents not preloaded:", err.message));
    // In the background: a page that comes first reads its documents by `_id`.
    void reload();
    this.reloadTimer = setInterval(reload, RELOAD_MS);
    this.reloadTimer.unref();
  },

  async stopped(this: This) {
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    await this.imports.stop();
  },
};

export default PlansService as unknown as ServiceSchema;
