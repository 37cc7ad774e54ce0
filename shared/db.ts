/**
 * The mongoose mixin: each service gets its own connection to its own database
 * (`<namespace>_<service>`), opened before the service starts and closed after it stops.
 */
import mongoose, {
  type Aggregate,
  type Connection,
  type MongooseQueryMiddleware,
  type Query,
  type Schema,
} from "mongoose";
import type { Service, ServiceSchema } from "moleculer";
import { config } from "./config";

export type DbVars = Service & { db: Connection };

export function dbName(service: string, namespace = config().namespace): string {
  return `${namespace}_${service}`;
}

/**
 * The query middleware that gets the default maxTimeMS. Not `distinct`: FerretDB 1.24 rejects it
 * there (`distinct: unknown field "maxTimeMS"`). Writes (updateOne, insertMany, deleteMany, ...)
 * are not listed because FerretDB ignores maxTimeMS on them.
 */
const TIMED_QUERIES: MongooseQueryMiddleware[] = [
  "find",
  "findOne",
  "countDocuments",
  "findOneAndUpdate",
  "findOneAndDelete",
  "findOneAndReplace",
];

/**
 * Gives every query and aggregation of a connection's models that sets no maxTimeMS of its own
 * this one, so that a query stuck in the server fails there instead of holding a connection.
 *
 * Why a connection plugin: mongoose 9's own default (`mongoose.set("maxTimeMS")` or
 * `connection.set("maxTimeMS")`) is applied to find, findOne, countDocuments, findOneAndUpdate and
 * also distinct, which FerretDB then rejects, and not to aggregate; the driver (mongodb 7) has no
 * client-wide maxTimeMS, and its client-side `timeoutMS` is deprecated and has no effect. The plugin
 * is scoped to the connections dbMixin opens. On FerretDB, maxTimeMS bounds the work until the
 * first batch (find, aggregate) or the whole command (findAndModify); the cancelled SQLite query
 * gives its connection back. Raw `model.collection.*` calls pass no middleware: socketTimeoutMS
 * bounds them.
 */
export function maxTimePlugin(maxTimeMS: number): (schema: Schema) => void {
  return (schema) => {
    schema.pre(TIMED_QUERIES, function (this: Query<unknown, unknown>) {
      if (this.getOptions().maxTimeMS === undefined) this.maxTimeMS(maxTimeMS);
    });
    schema.pre("aggregate", function (this: Aggregate<unknown>) {
      if (this.options.maxTimeMS === undefined) this.option({ maxTimeMS });
    });
  };
}

/** The health read in flight per connection: while one has not come back, no second one queues behind it. */
const pendingReads = new WeakMap<Connection, Promise<boolean>>();

/**
 * Whether the connection's database answers a real read within `timeoutMs`: a one-document find
 * on one of its models' collections (listCollections when it has none). A ping is not enough: a
 * FerretDB whose metadata lock or connection pool is stuck still answers ping. The timeout is the
 * client's own, since a request stuck in FerretDB does not see maxTimeMS; and while an earlier
 * read is still out, the database counts as down without sending another.
 */
export async function dbAnswers(conn: Connection, timeoutMs: number): Promise<boolean> {
  const db = conn.db;
  if (conn.readyState !== 1 || !db) return false;
  if (pendingReads.has(conn)) return false;
  const model = Object.values(conn.models)[0];
  const request = model
    ? db.collection(model.collection.collectionName).findOne({}, { projection: { _id: 1 }, maxTimeMS: timeoutMs })
    : db.listCollections({}, { nameOnly: true }).toArray();
  const read = request.then(
    () => true,
    () => false,
  );
  pendingReads.set(conn, read);
  void read.finally(() => pendingReads.delete(conn));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function dbMixin(service: string): Partial<ServiceSchema> {
  const mixin: Partial<ServiceSchema<object, object, object, DbVars>> = {
    created(this: DbVars) {
      const cfg = config();
      this.db = mongoose.createConnection(cfg.mongoUrl, {
        dbName: dbName(service),
        autoIndex: false,
        serverSelectionTimeoutMS: 10_000,
        // A request with no answer for this long fails and its connection is closed; FerretDB then
        // drops that connection's cursors (which hold pooled SQLite connections) once it reads again.
        socketTimeoutMS: cfg.mongoSocketTimeoutMs,
        // FerretDB 1.24 has no cursor timeout: a cursor lives until it is exhausted, killed, or its
        // client connection closes. Closing idle connections ends any cursor left on them.
        maxIdleTimeMS: 60_000,
      });
      // Before the service's own created() compiles its models on this connection.
      if (cfg.mongoMaxTimeMs > 0) this.db.plugin(maxTimePlugin(cfg.mongoMaxTimeMs));
    },
    async started(this: DbVars) {
      await this.db.asPromise();
      // Indexes are created explicitly (unique indexes must exist before the first write).
      await Promise.all(Object.values(this.db.models).map((m) => m.createIndexes()));
    },
    actions: {
      /** Readiness of this service's database, for the gateway's /ready probe: a real read under a timeout. */
      health: {
        auth: "internal",
        async handler(this: DbVars): Promise<{ db: boolean }> {
          return { db: await dbAnswers(this.db, config().dbHealthTimeoutMs) };
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
    // FerretDB (SQLite) sometimes still holds an index of the dropped collection and refuses to make
    // it again ("already exists"): the index is there, which is what this step wants.
    await model.createIndexes().catch((err: Error) => {
      if (!/already exists/.test(err.message)) throw err;
    });
  }
}
