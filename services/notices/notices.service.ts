/**
 * Notices: notices to a scope with read receipts (通知公告). Owns the `<namespace>_notices` database.
 * Who may publish and see receipts: access.ts (and shared/office.ts).
 */
import type { Context, ServiceSchema } from "moleculer";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import { RevWriter } from "../../shared/store/rev-writer";
import { demoActions } from "./actions/demo";
import { noticeActions } from "./actions/notices";
import { registerModels } from "./data/models";
import { CHANGED_EVENT, createIndex, heardChanged, storeMethods } from "./data/store";
import type { Changed, Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const NoticesService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "notices",
  mixins: [dbMixin("notices")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...noticeActions,
    ...demoActions,
  },

  /** Events */
  events: {
    [CHANGED_EVENT](this: This, ctx: Context<Changed>) {
      // Our own writes are in our index already.
      if (ctx.nodeID === this.broker.nodeID) return;
      heardChanged(this, ctx.params);
    },
  },

  /** Methods */
  methods: { ...storeMethods, ...viewMethods },

  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.writer = new RevWriter({ lockPrefix: "notices:rev:" });
    this.readCounts = new Map();
    this.refsCache = null;
    this.noticeIndex = createIndex(this);
  },
};

export default NoticesService as unknown as ServiceSchema;
