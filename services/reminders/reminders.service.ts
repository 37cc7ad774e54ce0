/**
 * SMS reminders (短信提醒): node-cron runs the policies through `tick`, each reminder is stored under
 * its idempotency key before anything is sent, mirrored in-app, and sent through the SMS provider
 * with retries, a per-minute limit and crash recovery. Owns the `<namespace>_reminders` database.
 *
 * Never twice: (1) a Redis lock per tick minute lets one replica run it; (2) the message `_id` is the
 * idempotency key, inserted (unique) before the send, so a second replica or a repeated tick finds
 * it taken; (3) a Redis lock per message guards each send; (4) a message still `pending` after
 * SMS_PENDING_RECHECK_MINUTES (a crash, or a timeout with no answer) is looked up at the provider by
 * recipient, day and exact text: found → adopted as sent; not found → sent.
 */
import type { ServiceSchema } from "moleculer";
import cron from "node-cron";
import { OverrideCopy } from "../../shared/calendar";
import { systemClock } from "../../shared/clock";
import { config, ConfigError } from "../../shared/config";
import { call } from "../../shared/contracts/actions";
import { dbMixin } from "../../shared/db";
import { EntryWriter } from "../../shared/store/entry-writer";
import type { DomainEvent } from "../../shared/events";
import { accessMethods } from "./access";
import { deliveryActions } from "./actions/delivery";
import { messageActions } from "./actions/messages";
import { settingsActions } from "./actions/settings";
import { messageMethods } from "./data/messages";
import { registerModels, type DailyDoc } from "./data/models";
import { sendMethods } from "./data/sending";
import { settingsMethods } from "./data/settings";
import { TwilioProvider, smsConfigProblem } from "./data/sms-provider";
import { tickMethods } from "./data/tick";
import type { Methods, Settings, This, Vars } from "./types";
import { viewMethods } from "./views";

const RemindersService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "reminders",
  mixins: [dbMixin("reminders")],

  /** Settings */
  settings: {
    $secureSettings: ["clock", "provider", "faults"],
  },

  /** Actions */
  actions: { ...deliveryActions, ...messageActions, ...settingsActions },

  /** Durable channels */
  channels: {
    "calendar.override.changed": {
      group: "reminders",
      async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
        await this.calendarCopy.apply(event.data);
      },
    },
  },

  /** Methods */
  methods: {
    ...accessMethods,
    ...tickMethods,
    ...messageMethods,
    ...sendMethods,
    ...settingsMethods,
    ...viewMethods,
  } satisfies Methods,

  /** Lifecycle */
  created(this: This) {
    this.cfg = config();
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.known = new Set();
    this.daily = new EntryWriter<DailyDoc>(this.m.Daily, { lockPrefix: "reminders:daily:" });
    this.calendarCopy = new OverrideCopy(this.m.Override, this.broker);
    this.task = null;
    if (this.settings.provider !== undefined) this.provider = this.settings.provider;
    else {
      const problem = smsConfigProblem(this.cfg);
      if (problem) throw new ConfigError(problem);
      this.provider = this.cfg.smsProvider === "twilio" ? new TwilioProvider(this.cfg) : null;
    }
  },

  started(this: This) {
    const expr = this.cfg.remindersCron;
    if (this.settings.schedule === false || !expr) return;
    if (!cron.validate(expr)) throw new ConfigError(`Invalid REMINDERS_CRON=${JSON.stringify(expr)}`);
    this.task = cron.schedule(
      expr,
      () => {
        this.known.clear();
        void call(
          this.broker,
          "reminders.tick",
          { at: this.clock.now().toISOString() },
          { meta: { system: true }, timeout: 0 },
        ).catch((err: Error) => this.logger.error("Reminder run failed:", err.message));
      },
      { timezone: "Asia/Shanghai", noOverlap: true },
    );
  },

  async stopped(this: This) {
    await this.task?.stop();
  },
};

export default RemindersService as unknown as ServiceSchema;
