/**
 * The watchdog of the embedded database (deploy/local/db-watchdog.js) against a FerretDB that
 * stops answering (SIGSTOP: its port still accepts connections, nothing answers, as in the frozen
 * FerretDB of the staff import). The health check that /ready asks reports the database down, the
 * watchdog restarts FerretDB on its port, and the service's mongoose connection reads again by
 * itself. This file runs a FerretDB of its own on a free port; the run's shared one is not touched.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Schema, type Model } from "mongoose";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { SYSTEM, startNode, useTestNamespace, waitFor } from "../support/broker";

useTestNamespace();

interface FerretDB {
  port: number;
  pid(): number | undefined;
  restart(why: string): Promise<void>;
  stop(): Promise<void>;
}
interface Infra {
  ensureFerretDB(root: string, log: (m: string) => void): Promise<string>;
  freePort(): Promise<number>;
  sqliteArgs(dataDir: string): string[];
  runFerretDB(o: {
    bin: string;
    backendArgs: string[];
    dataDir: string;
    port: number;
    logFile: string;
    pidFile: string;
    cwd: string;
  }): Promise<FerretDB>;
}
interface Watchdog {
  startWatchdog(o: {
    port: number;
    intervalMs: number;
    stallMs: number;
    restart: (why: string) => Promise<void>;
    log: (msg: string) => void;
  }): { stop(): Promise<void> };
}
/* eslint-disable @typescript-eslint/no-require-imports */
const infra = require("../../deploy/local/infra") as Infra;
const { startWatchdog } = require("../../deploy/local/db-watchdog") as Watchdog;
/* eslint-enable @typescript-eslint/no-require-imports */

type NoteDoc = { _id: string; n: number };
type ProbeThis = { db: import("mongoose").Connection; Note: Model<NoteDoc> };

/** A service with a database of its own, as every service has it (dbMixin). */
async function probeService(): Promise<ServiceSchema> {
  const { dbMixin } = await import("../../shared/db");
  return {
    name: "wdprobe",
    mixins: [dbMixin("wdprobe")],
    created(this: ProbeThis) {
      this.Note = this.db.model<NoteDoc>(
        "Note",
        new Schema({ _id: String, n: Number }, { versionKey: false }),
        "notes",
      );
    },
    actions: {
      write: {
        auth: "internal",
        async handler(this: ProbeThis) {
          await this.Note.updateOne({ _id: "a" }, { $set: { n: 1 } }, { upsert: true });
        },
      },
      read: {
        auth: "internal",
        handler(this: ProbeThis) {
          return this.Note.findOne({ _id: "a" }).lean();
        },
      },
    },
  } as unknown as ServiceSchema;
}

describe("the database watchdog", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-watchdog-"));
  const logs: string[] = [];
  let ferretdb: FerretDB;
  let broker: ServiceBroker;
  let watchdog: { stop(): Promise<void> } | undefined;
  let stoppedPid: number | undefined;

  beforeAll(async () => {
    const root = path.resolve(__dirname, "..", "..");
    const bin = await infra.ensureFerretDB(root, (m) => logs.push(m));
    const dataDir = path.join(dir, "ferretdb");
    ferretdb = await infra.runFerretDB({
      bin,
      backendArgs: infra.sqliteArgs(dataDir),
      dataDir,
      port: await infra.freePort(),
      logFile: path.join(dir, "ferretdb.log"),
      pidFile: path.join(dir, "ferretdb.pid"),
      cwd: dir,
    });
    // Before anything reads the configuration: this file's services use this FerretDB.
    process.env.MONGO_URL = `mongodb://127.0.0.1:${ferretdb.port}/`;
    process.env.DB_HEALTH_TIMEOUT_MS = "1000";
    broker = await startNode("watchdog", [await probeService()]);
  }, 60_000);

  afterAll(async () => {
    await watchdog?.stop();
    // Without a restart the stopped process is still there: SIGKILL reaches it where SIGTERM would not.
    if (stoppedPid && stoppedPid === ferretdb?.pid()) process.kill(stoppedPid, "SIGKILL");
    await broker?.stop();
    await ferretdb?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const health = () => broker.call<{ db: boolean }, object>("wdprobe.health", {}, SYSTEM);
  const read = () => broker.call<NoteDoc | null, object>("wdprobe.read", {}, SYSTEM).catch(() => null);

  test("when a service queries, then each query carries the default time limit, so a stuck one fails in FerretDB", async () => {
    const svc = broker.getLocalService("wdprobe") as unknown as ProbeThis;
    const sent: Record<string, unknown> = {};
    svc.db.set("debug", (_coll: string, method: string, ...args: unknown[]) => {
      const opts = args.find((a, i) => i > 0 && a && typeof a === "object" && "maxTimeMS" in a) as
        { maxTimeMS: number } | undefined;
      sent[method] = opts?.maxTimeMS;
    });
    try {
      await svc.Note.find({ n: 1 }).lean();
      await svc.Note.findOne({ _id: "a" }).lean();
      await svc.Note.countDocuments({});
      await svc.Note.findOneAndUpdate({ _id: "a" }, { $set: { n: 1 } }).lean();
      await svc.Note.aggregate([{ $match: { n: 1 } }]);
      await svc.Note.findOne({ _id: "a" }).maxTimeMS(5000).lean();
    } finally {
      svc.db.set("debug", false);
    }
    expect(sent).toEqual({
      find: 60000,
      findOne: 5000, // a query's own limit wins
      countDocuments: 60000,
      findOneAndUpdate: 60000,
      aggregate: 60000,
    });
  });

  test("when FerretDB stops answering, then the health check reports the database down, and the watchdog restarts FerretDB and reads succeed again", async () => {
    await broker.call("wdprobe.write", {}, SYSTEM);
    expect(await health()).toEqual({ db: true });
    watchdog = startWatchdog({
      port: ferretdb.port,
      intervalMs: 1000,
      stallMs: 5000,
      restart: (why) => ferretdb.restart(why),
      log: (m) => logs.push(m),
    });

    stoppedPid = ferretdb.pid();
    process.kill(stoppedPid as number, "SIGSTOP");
    const t0 = Date.now();
    await waitFor(health, (h) => !h.db, 10_000);
    const downAfter = Date.now() - t0;

    await waitFor(read, (d) => d?.n === 1, 45_000);
    const readAfter = Date.now() - t0;
    await waitFor(health, (h) => h.db, 10_000);
    expect(ferretdb.pid()).not.toBe(stoppedPid);
    expect(logs.join("\n")).toMatch(/has not answered .* restarting FerretDB on port \d+/);
    expect(logs.join("\n")).toMatch(/FerretDB restarted on port \d+ in/);
    if (process.env.MINGBAI_WATCHDOG_TIMINGS)
      console.log(`down after ${downAfter} ms, reads again after ${readAfter} ms\n${logs.join("\n")}`);
  }, 80_000);
});
