/**
 * Info: information reports sent upwards and reviewed by the offices (信息报送), publicity items
 * verified by the office (宣传), the indicator facts both produce for the assessment service, and the
 * points per level. Owns the `<namespace>_info` database.
 * Who reviews and who sees what: access.ts (and shared/office.ts); the review steps: workflow.ts, run by review.ts.
 */
import type { Context, ServiceSchema } from "moleculer";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import { RevWriter } from "../../shared/store/rev-writer";
import { demoActions } from "./actions/demo";
import { factActions } from "./actions/facts";
import { publicityActions } from "./actions/publicity";
import { reportActions } from "./actions/reports";
import { settingActions } from "./actions/settings";
import { registerModels } from "./data/models";
import { CHANGED_EVENT, createIndexes, heardChanged, storeMethods } from "./data/store";
import { reviewMethods } from "./review";
import type { Changed, Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const InfoService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "info",
  mixins: [dbMixin("info")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...reportActions,
    ...publicityActions,
    ...factActions,
    ...settingActions,
    ...demoActions,
  },

  /** Events */
  events: {
    [CHANGED_EVENT](this: This, ctx: Context<Changed>) {
      // Our own writes are in our indexes already.
      if (ctx.nodeID === this.broker.nodeID) return;
      heardChanged(this, ctx.params);
    },
  },

  /** Methods */
  methods: { ...storeMethods, ...viewMethods, ...reviewMethods },

  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.writer = new RevWriter({ lockPrefix: "info:rev:" });
    this.refsCache = null;
    Object.assign(this, createIndexes(this));
  },
};

export default InfoService as unknown as ServiceSchema;
