/**
 * Documents: document circulation (公文流转): outgoing documents (发文), incoming ones (收文) and
 * requests (签报) through flows that are data (flows.ts, one per kind per organisation), 文号 without
 * gaps or duplicates (data/numbers.ts), distribution to other organisations as their 收文, handling
 * with due dates on the working-day calendar, the A/B post covering absence (data/people.ts), and
 * attachments in the platform's file store (shared/files). Owns the `<namespace>_documents` database.
 * Only participants see a document (access.ts); everyone else is told it does not exist.
 */
import type { Context, ServiceSchema } from "moleculer";
import { OverrideCopy } from "../../shared/calendar";
import { systemClock } from "../../shared/clock";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { KeyedQueue } from "../../shared/store/queue";
import { demoActions } from "./actions/demo";
import { draftingActions } from "./actions/drafting";
import { fileActions } from "./actions/files";
import { flowActions } from "./actions/flows";
import { issuingActions } from "./actions/issuing";
import { listActions } from "./actions/lists";
import { stepActions } from "./actions/steps";
import { registerModels } from "./data/models";
import { CHANGED_EVENT, createIndex, heardChanged, storeMethods } from "./data/store";
import type { Changed, Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const DocumentsService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "documents",
  mixins: [dbMixin("documents")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    ...draftingActions,
    ...stepActions,
    ...issuingActions,
    ...listActions,
    ...flowActions,
    ...fileActions,
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

  /** Durable channels */
  channels: {
    "calendar.override.changed": {
      group: "documents",
      async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
        await this.overrides.apply(event.data);
      },
    },
  },

  /** Methods */
  methods: { ...storeMethods, ...viewMethods },

  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.numberQueue = new KeyedQueue();
    this.numberHints = new Map();
    this.refsCache = null;
    this.peopleCache = new Map();
    this.overrides = new OverrideCopy(this.m.Override, this.broker);
    this.docIndex = createIndex(this);
  },
};

export default DocumentsService as unknown as ServiceSchema;
