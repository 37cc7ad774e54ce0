/** The launcher's database watchdog (deploy/local/db-watchdog.js), driven by a stand-in probe. */
type ProbeResult = { server: string | null; dbs: Map<string, string | null> };
interface WatchdogModule {
  startWatchdog(o: {
    port: number;
    intervalMs: number;
    stallMs: number;
    restart: (why: string) => Promise<void>;
    log: (msg: string) => void;
    probe?: (port: number, o: { timeoutMs: number }) => Promise<ProbeResult>;
  }): { stop(): Promise<void> };
  encodeDoc(doc: object): Buffer;
  decodeDoc(buf: Buffer): Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWatchdog, encodeDoc, decodeDoc } = require("../../../deploy/local/db-watchdog") as WatchdogModule;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a watchdog whose probe answers with `answer()` each round; returns its restarts and log. */
async function watch(answer: () => ProbeResult, ms: number) {
  const restarts: string[] = [];
  const logs: string[] = [];
  const wd = startWatchdog({
    port: 1,
    intervalMs: 20,
    stallMs: 300,
    restart: async (why) => void restarts.push(why),
    log: (m) => logs.push(m),
    probe: async () => answer(),
  });
  await sleep(ms);
  await wd.stop();
  return { restarts, logs };
}

const ok = (): ProbeResult => ({ server: null, dbs: new Map([["m_personnel", null]]) });

describe("the database watchdog", () => {
  test("when every database answers, then FerretDB is left alone", async () => {
    const { restarts } = await watch(ok, 500);
    expect(restarts).toEqual([]);
  });

  test("when one database stops answering, then after the stall time FerretDB is restarted once, and the log says why", async () => {
    let failing = false;
    setTimeout(() => (failing = true), 100);
    const { restarts, logs } = await watch(
      () => (failing ? { server: null, dbs: new Map([["m_personnel", "find did not answer within 1 s"]]) } : ok()),
      550,
    );
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatch(/^database m_personnel has not answered a read for \d+ s \(find did not answer/);
    expect(logs[0]).toMatch(/restarting FerretDB on port 1$/);
  });

  test("when the server stops answering, then FerretDB is restarted, again after each stall time", async () => {
    const { restarts } = await watch(() => ({ server: "connect ECONNREFUSED", dbs: new Map() }), 800);
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts.length).toBeLessThanOrEqual(3);
    expect(restarts[0]).toMatch(/^FerretDB has not answered listDatabases for \d+ s \(connect ECONNREFUSED\)/);
  });

  test("when a database first seen is failing, then it gets the stall time before a restart", async () => {
    const { restarts } = await watch(() => ({ server: null, dbs: new Map([["m_new", "timed out"]]) }), 200);
    expect(restarts).toEqual([]);
  });

  test("when a command is encoded and decoded, then its fields survive", () => {
    const doc = { find: "notes", filter: {}, limit: 1, singleBatch: true, ratio: 0.5, tags: ["a", "b"], none: null };
    expect(decodeDoc(encodeDoc(doc))).toEqual(doc);
  });
});
