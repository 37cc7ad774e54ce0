/**
 * Accounts, sign-in and sessions: argon2id passwords, lockout after repeated failures,
 * short-lived access tokens with rotating refresh tokens, and revocation that takes effect at once.
 */
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { ServiceSchema } from "moleculer";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { accessMethods } from "./access";
import { adminActions } from "./actions/admin";
import { demoActions } from "./actions/demo";
import { sessionActions } from "./actions/sessions";
import { accountMethods } from "./data/accounts";
import { accountModel, sessionModel, type AccountDoc } from "./data/models";
import { sessionMethods } from "./data/sessions";
import { ARGON, passwordMethods } from "./passwords";
import type { Methods, This, Vars } from "./types";

const AccountsService: ServiceSchema<object, Methods, Vars, This> = {
  name: "accounts",
  mixins: [dbMixin("accounts")],

  /** Actions */
  actions: { ...sessionActions, ...adminActions, ...demoActions },

  /** Durable channels */
  channels: {
    "personnel.staff.changed": {
      group: "accounts",
      async handler(this: This, event: DomainEvent<"personnel.staff.changed">) {
        const s = event.data;
        // Keep only the newest copy: an older or repeated event matches nothing.
        const res = await this.Accounts.updateOne(
          { staffId: s.staffId, staffVersion: { $lt: s.version } },
          {
            $set: {
              name: s.name,
              orgId: s.orgId,
              divisionId: s.divisionId,
              phone: s.phone,
              staffVersion: s.version,
              ...(s.status !== "active" ? { disabled: true } : {}),
            },
          },
        );
        if (res.modifiedCount && s.status !== "active") {
          const account = await this.Accounts.findOne({ staffId: s.staffId }).lean<AccountDoc>();
          if (account) await this.revokeSessions(account._id, `staff ${s.status}`);
        }
      },
    },
  },

  /** Methods */
  methods: { ...sessionMethods, ...accountMethods, ...accessMethods, ...passwordMethods } satisfies Methods,

  /** Lifecycle */
  created(this: This) {
    this.Accounts = accountModel(this.db);
    this.Sessions = sessionModel(this.db);
    this.dummyHash = "";
  },

  async started(this: This) {
    this.dummyHash = await hash(randomBytes(16).toString("hex"), ARGON);
  },
};

export default AccountsService;
