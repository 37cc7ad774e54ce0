/** Demo data: the accounts that go with personnel's demo staff. */
import { hash } from "@node-rs/argon2";
import type { Service } from "moleculer";
import type { Role } from "../../../shared/auth";
import { DEMO_PASSWORD, DEMO_USERNAMES } from "../../../shared/contracts/accounts";
import { call } from "../../../shared/contracts/actions";
import { ARGON } from "../passwords";
import type { Ctx, This } from "../types";

export const demoActions: Service.ServiceActionsSchema<This> = {
  /** Demo accounts: one login per staff member (username = staff id), plus one per role. */
  "demo.seed": {
    auth: "internal",
    params: { $$strict: true, reset: "boolean|optional" },
    async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<{ seeded: boolean; accounts: number }> {
      if (ctx.params.reset) {
        await this.Accounts.deleteMany({});
        await this.Sessions.deleteMany({});
      } else if ((await this.Accounts.estimatedDocumentCount()) > 0) return { seeded: false, accounts: 0 };
      const directory = await call(ctx, "personnel.staff.directory", {}, { meta: { system: true } });
      const people = await call(ctx, "personnel.demo.people", {}, { meta: { system: true } });
      const roleOf = new Map<string, Role>(Object.entries(people).map(([role, id]) => [id, role as Role]));
      // One hash for every demo account: hashing 1,500 passwords one by one would take minutes.
      const passwordHash = await hash(DEMO_PASSWORD, ARGON);
      const now = new Date();
      const docs = directory.map((s) => {
        const demoRole = roleOf.get(s.id);
        const roles: Role[] = ["staff"];
        if (s.isDivisionHead) roles.push("division_head");
        if (demoRole && !roles.includes(demoRole)) roles.push(demoRole);
        return {
          _id: `a-${s.id}`,
          username: demoRole ? DEMO_USERNAMES[demoRole] : s.id.toLowerCase(),
          phone: s.phone,
          staffId: s.id,
          name: s.name,
          orgId: s.orgId,
          divisionId: s.divisionId,
          roles,
          passwordHash,
          passwordChangedAt: now,
          disabled: s.status !== "active",
        };
      });
      for (let i = 0; i < docs.length; i += 1000)
        await this.Accounts.insertMany(docs.slice(i, i + 1000), { ordered: false });
      return { seeded: true, accounts: docs.length };
    },
  },
};
