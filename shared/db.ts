/**
 * The mongoose mixin: each service gets its own connection to its own database
 * (`<namespace>_<service>`), opened before the service starts and closed after it stops.
 */
import mongoose, { type Connection } from "mongoose";
import type { Service, ServiceSchema } from "moleculer";
import { config } from "./config";

export type DbVars = Service & { db: Connection };

export function dbName(service: string, namespace = config().namespace): string {
  return `${namespace}_${service}`;
}

export function dbMixin(service: string): Partial<ServiceSchema> {
  const mixin: Partial<ServiceSchema<object, object, object, DbVars>> = {
    created(this: DbVars) {
      this.db = mongoose.createConnection(config().mongoUrl, {
        dbName: dbName(service),
        autoIndex: false,
        serverSelectionTimeoutMS: 10_000,
      });
    },
    async started(this: DbVars) {
      await this.db.asPromise();
      // Indexes are created explicitly (unique indexes must exist before the first write).
      await Promise.all(Object.values(this.db.models).map((m) => m.createIndexes()));
    },
    actions: {
      /** Readiness of this service's database, for the gateway's /ready probe. */
      health: {
        auth: "internal",
        async handler(this: DbVars): Promise<{ db: boolean }> {
          if (this.db.readyState !== 1 || !this.db.db) return { db: false };
          await this.db.db.admin().ping();
          return { db: true };
        },
      },
    },
    async stopped(this: DbVars) {
      await this.db.close();
    },
  };
  return mixin as Partial<ServiceSchema>;
}

/** Empties a service's database for a demo reload: each model's collection dropped, its indexes made again. */
export async function emptyModels(
  models: Iterable<{ collection: { drop(): Promise<unknown> }; createIndexes(): Promise<unknown> }>,
): Promise<void> {
  for (const model of models) {
    await model.collection.drop().catch(() => undefined); // not there yet: nothing to drop
    await model.createIndexes();
  }
}
