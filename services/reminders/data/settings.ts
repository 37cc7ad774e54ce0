/** Each organisation's settings over the defaults, and the opt-out list. */
import { REMINDER_POLICIES, type OrgReminderSettings } from "../../../shared/contracts/reminders";
import { defaultSettings } from "../rules";
import type { This } from "../types";
import type { SettingsDoc } from "./models";

export const settingsMethods = {
  async settingsOf(this: This, orgId: string): Promise<OrgReminderSettings> {
    const doc = await this.m.Settings.findById(orgId).lean<SettingsDoc>();
    const def = defaultSettings(orgId);
    if (!doc) return def;
    const out = {
      ...def,
      updatedAt: doc.updatedAt ? new Date(doc.updatedAt).toISOString() : null,
      updatedBy: doc.updatedBy,
    };
    for (const p of REMINDER_POLICIES)
      (out as unknown as Record<string, unknown>)[p] = { ...def[p], ...(doc[p] ?? {}) };
    return out;
  },

  async allSettings(this: This): Promise<Map<string, OrgReminderSettings>> {
    const docs = await this.m.Settings.find().lean<SettingsDoc[]>();
    const out = new Map<string, OrgReminderSettings>();
    for (const d of docs) out.set(d._id, await this.settingsOf(d._id));
    return out;
  },

  async optedOut(this: This, ids: string[]): Promise<Set<string>> {
    // The opt-out list is small (people who chose it), so one read of it beats many lookups.
    const docs = await this.m.OptOut.find().lean();
    const wanted = new Set(ids);
    return new Set(docs.filter((d) => d.optedOut && wanted.has(d._id)).map((d) => d._id));
  },
};
