// @ts-check
/*
 * Local infrastructure for the embedded default topology: a MongoDB-compatible server
 * (FerretDB 1.24.2 on SQLite, or on PostgreSQL with MINGBAI_FERRETDB_BACKEND=postgresql),
 * NATS with JetStream and Redis.
 *
 * Node built-ins only: this file must work before and without node_modules.
 * See deploy/local/README.md.
 */
"use strict";

const net = require("net");
const fs = require("fs");
const path = require("path");
const os = require("os");
const crypto = require("crypto");
const { spawn } = require("child_process");
const { setTimeout, clearTimeout } = require("timers");

const FERRETDB_VERSION = "v1.24.2";
/**
 * Our build of it: `mingbai1` adds the `_id` index fix below. A new suffix makes existing
 * installations rebuild the binary once.
 */
const FERRETDB_BUILD = `ferretdb-${FERRETDB_VERSION}-mingbai1`;

/**
 * FerretDB 1.24's SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but looks documents up
 * with `_ferretdb_sjson->'$._id'`, which SQLite evaluates the same way but does not match to the
 * index: every `_id` lookup, update and delete scanned the whole table (EXPLAIN QUERY PLAN: SCAN).
 * Written the way the index is, the lookup is a SEARCH USING INDEX.
 */
const FERRETDB_PATCHES = [
  {
    file: "internal/backends/sqlite/metadata/metadata.go",
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
];
const FERRETDB_MODULE = "github.com/FerretDB/FerretDB";
const STOP_TIMEOUT_MS = 10_000;

/** @typedef {(msg: string) => void} Log */
/**
 * @typedef {object} Daemon
 * @property {string} name
 * @property {import('child_process').ChildProcess} child
 * @property {string} pidFile
 * @property {Promise<void>} exited
 */

/** Every child process this module has started and not yet seen exit (daemons and build tools). */
/** @type {Set<import('child_process').ChildProcess>} */
const active = new Set();

// ---------------------------------------------------------------------------------------------
// small helpers

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @returns {Promise<number>} a TCP port that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = addr && typeof addr === "object" ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Opens a TCP connection, optionally writes `send`, and resolves with what the server sent
 * up to the first CRLF (or '' if it only accepted the connection). Resolves null on failure.
 * @param {number} port
 * @param {{ host?: string, send?: string, readLine?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<string | null>}
 */
function tcpProbe(port, opts = {}) {
  const { host = "127.0.0.1", send, readLine = false, timeoutMs = 1500 } = opts;
  return new Promise((resolve) => {
    let buf = "";
    let done = false;
    /** @param {string | null} v */
    const finish = (v) => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(v);
    };
    const sock = net.connect({ host, port });
    sock.setTimeout(timeoutMs, () => finish(null));
    sock.on("error", () => finish(null));
    sock.on("connect", () => {
      if (send) sock.write(send);
      if (!readLine) finish("");
    });
    sock.on("data", (d) => {
      buf += d.toString("utf8");
      const i = buf.indexOf("\r\n");
      if (i >= 0) finish(buf.slice(0, i));
      else if (buf.length > 65536) finish(buf);
    });
    sock.on("end", () => finish(buf || null));
  });
}

/** @param {number} port @returns {Promise<boolean>} */
async function isNatsWithJetStream(port) {
  const line = await tcpProbe(port, { readLine: true });
  if (!line || !line.startsWith("INFO ")) return false;
  try {
    return JSON.parse(line.slice(5)).jetstream === true;
  } catch {
    return false;
  }
}

/** @param {number} port @returns {Promise<boolean>} */
async function isRedis(port) {
  const line = await tcpProbe(port, { send: "PING\r\n", readLine: true });
  return line === "+PONG";
}

/**
 * Polls `check` until it returns true, the child exits, or the timeout passes.
 * @param {() => Promise<boolean>} check
 * @param {{ name: string, child?: import('child_process').ChildProcess, timeoutMs: number, logFile?: string }} o
 */
async function waitUntil(check, { name, child, timeoutMs, logFile }) {
  const deadline = Date.now() + timeoutMs;
  const seeLog = logFile ? ` See ${logFile}.` : "";
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${name} exited during startup (${child.exitCode ?? child.signalCode}).${seeLog}`);
    }
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s.${seeLog}`);
    }
    await sleep(200);
  }
}

/**
 * Finds an executable on PATH or in extra directories.
 * @param {string} name
 * @param {string[]} [extraDirs]
 * @returns {string | null}
 */
function which(name, extraDirs = []) {
  const dirs = [...(process.env.PATH || "").split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

/**
 * Runs a command to completion. Output is inherited unless `capture` is set.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, capture?: boolean }} [opts]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env || process.env,
      stdio: opts.capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    });
    active.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", (err) => {
      active.delete(child);
      reject(err);
    });
    child.on("close", (code, signal) => {
      active.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** @param {number} pid @returns {boolean} */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === "EPERM";
  }
}

/** @param {number} pid @returns {string} the command line of a process, or '' */
function cmdlineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    /* no /proc (macOS): ps */
  }
  try {
    return require("child_process")
      .execFileSync("ps", ["-p", String(pid), "-o", "command="], { encoding: "utf8" })
      .trim();
  } catch {
    return "";
  }
}

/**
 * A daemon from an earlier run whose launcher died without stopping it (kill -9, crash)
 * still holds its data folder. Stop it, unless its launcher is still alive.
 * @param {string} pidFile
 * @param {string} match  substring of the daemon's command line
 * @param {Log} log
 */
async function reapStale(pidFile, match, log) {
  /** @type {{ pid?: number, owner?: number }} */
  let info;
  try {
    info = JSON.parse(fs.readFileSync(pidFile, "utf8"));
  } catch {
    return;
  }
  const { pid, owner } = info;
  if (pid && isAlive(pid) && cmdlineOf(pid).includes(match)) {
    if (owner && owner !== process.pid && isAlive(owner) && /node/.test(cmdlineOf(owner))) {
      throw new Error(
        `${match} (pid ${pid}) is in use by another Mingbai launcher (pid ${owner}) with the same data folder. Stop that one first.`,
      );
    }
    log(`Stopping ${match} (pid ${pid}) left over from an earlier run`);
    await killPid(pid);
  }
  fs.rmSync(pidFile, { force: true });
}

/** @param {number} pid */
async function killPid(pid) {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/**
 * Starts a long-running server in its own process group (so a terminal Ctrl-C reaches only the
 * launcher, which then stops things in order), with output appended to `logFile`.
 * @param {string} name
 * @param {string} bin
 * @param {string[]} args
 * @param {{ logFile: string, pidFile: string, cwd?: string }} o
 * @returns {Daemon}
 */
function startDaemon(name, bin, args, { logFile, pidFile, cwd }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${bin} ${args.join(" ")}\n`);
  const child = spawn(bin, args, { cwd, stdio: ["ignore", fd, fd], detached: true });
  fs.closeSync(fd);
  active.add(child);
  const exited = new Promise((resolve) => {
    child.on("exit", () => resolve(undefined));
    child.on("error", () => resolve(undefined));
  }).then(() => {
    active.delete(child);
  });
  if (child.pid) {
    fs.writeFileSync(pidFile, JSON.stringify({ pid: child.pid, owner: process.pid, cmd: name }) + "\n");
  }
  return { name, child, pidFile, exited };
}

/** @param {Daemon} d */
async function stopDaemon(d) {
  const { child } = d;
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    child.kill("SIGTERM");
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS, "timeout")));
    if ((await Promise.race([d.exited, late])) === "timeout") {
      child.kill("SIGKILL");
      await d.exited;
    }
    clearTimeout(timer); // a test that stops its own FerretDB must not wait for it
  }
  fs.rmSync(d.pidFile, { force: true });
}

/**
 * Installs a Debian package if we are root on a Debian-like system.
 * @param {string} pkg
 * @param {Log} log
 * @returns {Promise<boolean>}
 */
async function aptInstall(pkg, log) {
  const apt = which("apt-get", ["/usr/bin", "/usr/sbin"]);
  if (!apt || typeof process.getuid !== "function" || process.getuid() !== 0) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  log(`Installing Debian package ${pkg} (apt-get install -y ${pkg}) ...`);
  if ((await run(apt, ["install", "-y", pkg], { env })).code === 0) return true;
  log("apt-get install failed; running apt-get update and trying again ...");
  await run(apt, ["update"], { env });
  return (await run(apt, ["install", "-y", pkg], { env })).code === 0;
}

/** @param {string} p @param {string} root */
function rel(p, root) {
  const r = path.relative(root, p);
  return !r ? "." : r.startsWith("..") || path.isAbsolute(r) ? p : r;
}

// ---------------------------------------------------------------------------------------------
// FerretDB

/** @returns {string | null} */
function findGo() {
  return which("go", ["/usr/local/go/bin", path.join(os.homedir(), "go", "bin"), "/usr/lib/go/bin"]);
}

/**
 * Builds FerretDB from the Go module. A plain `go install .../cmd/ferretdb@v1.24.2` gives a binary
 * that panics at start ("Invalid build/version/version.txt file content") because the published
 * module lacks that generated file, so build from a writable copy of the module with it added.
 * @param {string} bin
 * @param {string} root
 * @param {Log} log
 */
async function buildFerretDB(bin, root, log) {
  const go = findGo();
  const advice =
    "Go >= 1.22 is needed once to build FerretDB (https://go.dev/dl/, or the Debian package golang-go), " +
    "or set MONGO_URL=mongodb://host:27017 to use an existing MongoDB, " +
    "or FERRETDB_BIN=/path/to/ferretdb to use a FerretDB 1.24 binary.";
  if (!go) throw new Error(`FerretDB is not built yet and 'go' was not found. ${advice}`);
  const ver = await run(go, ["version"], { capture: true });
  const m = /go(\d+)\.(\d+)/.exec(ver.stdout);
  if (!m || Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 22)) {
    throw new Error(`Found ${ver.stdout.trim() || go}, which is too old. ${advice}`);
  }
  log(
    `Building FerretDB ${FERRETDB_VERSION} with ${ver.stdout.trim().replace(/^go version /, "")} ` +
      `into ${rel(bin, root)} (one-time build; takes a few minutes on a cold Go cache) ...`,
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-ferretdb-"));
  try {
    const env = { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "on" };
    const dl = await run(go, ["mod", "download", "-json", `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      cwd: tmp,
      env,
      capture: true,
    });
    /** @type {{ Dir?: string, Error?: string }} */
    let info = {};
    try {
      info = JSON.parse(dl.stdout);
    } catch {
      /* reported below */
    }
    if (dl.code !== 0 || !info.Dir) {
      throw new Error(`go mod download failed: ${info.Error || dl.stderr.trim() || dl.stdout.trim()}`);
    }
    const src = path.join(tmp, "src");
    fs.cpSync(info.Dir, src, { recursive: true });
    makeWritable(src);
    fs.writeFileSync(path.join(src, "build", "version", "version.txt"), `${FERRETDB_VERSION}\n`);
    for (const p of FERRETDB_PATCHES) {
      const file = path.join(src, p.file);
      const text = fs.readFileSync(file, "utf8");
      if (!text.includes(p.from)) throw new Error(`FerretDB source changed: ${p.file} no longer has ${p.from}`);
      fs.writeFileSync(file, text.replace(p.from, p.to));
    }
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    const out = `${bin}.tmp-${process.pid}`;
    const b = await run(go, ["build", "-trimpath", "-o", out, "./cmd/ferretdb"], { cwd: src, env });
    if (b.code !== 0) {
      fs.rmSync(out, { force: true });
      throw new Error(`go build of FerretDB failed (exit ${b.code}), see the output above.`);
    }
    fs.renameSync(out, bin);
    log(`Built ${rel(bin, root)}`);
  } finally {
    makeWritable(tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Go's module cache is read-only; make a copy of it deletable and writable. @param {string} dir */
function makeWritable(dir) {
  let st;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) return;
  fs.chmodSync(dir, st.mode | (st.isDirectory() ? 0o700 : 0o600));
  if (st.isDirectory()) for (const e of fs.readdirSync(dir)) makeWritable(path.join(dir, e));
}

/**
 * The FerretDB binary (FERRETDB_BIN, or our build in .tools/bin), built first when missing.
 * @param {string} root @param {Log} log
 * @returns {Promise<string>}
 */
async function ensureFerretDB(root, log) {
  const bin = process.env.FERRETDB_BIN || path.join(root, ".tools", "bin", FERRETDB_BUILD);
  if (!fs.existsSync(bin)) await buildFerretDB(bin, root, log);
  return bin;
}

/**
 * The SQLite backend's flags. Writers take SQLite's write lock when their transaction begins
 * (`_txlock=immediate`), so they queue for it within busy_timeout instead of failing with
 * SQLITE_BUSY when a deferred transaction cannot upgrade; and the queue may be long on a busy
 * machine (FerretDB waits 10 s).
 * @param {string} dataDir
 */
const sqliteArgs = (dataDir) => [
  "--handler=sqlite",
  `--sqlite-url=file:${dataDir}/?_txlock=immediate&_pragma=busy_timeout(60000)`,
];

/**
 * A FerretDB we run, on a port of its own.
 * @typedef {object} FerretDB
 * @property {number} port
 * @property {() => number | undefined} pid  of the current process
 * @property {(why: string) => Promise<void>} restart  kills it and starts it again on the same port
 * @property {() => Promise<void>} stop
 */

/**
 * Starts FerretDB on 127.0.0.1:`port` and keeps it restartable there: a restart must not move
 * it, since every service's MONGO_URL names the port (the drivers reconnect by themselves to it).
 * @param {{ bin: string, backendArgs: string[], dataDir: string, port: number, logFile: string,
 *   pidFile: string, cwd: string, root?: string }} o
 * @returns {Promise<FerretDB>}
 */
async function runFerretDB(o) {
  const args = [
    ...o.backendArgs,
    `--state-dir=${o.dataDir}`,
    `--listen-addr=127.0.0.1:${o.port}`,
    "--debug-addr=-", // "-" turns the debug HTTP listener off (cmd/ferretdb/main.go)
    "--telemetry=disable",
    "--log-level=error",
  ];
  /** @type {Daemon} */
  let daemon;
  let stopping = false;
  /** @type {Promise<void>} */
  let restarting = Promise.resolve();
  fs.mkdirSync(o.dataDir, { recursive: true });
  const launch = async () => {
    daemon = startDaemon("ferretdb", o.bin, args, { logFile: o.logFile, pidFile: o.pidFile, cwd: o.cwd });
    try {
      await waitUntil(async () => (await tcpProbe(o.port)) !== null, {
        name: "FerretDB",
        child: daemon.child,
        timeoutMs: 30_000,
        logFile: o.root ? rel(o.logFile, o.root) : o.logFile,
      });
    } catch (err) {
      await stopDaemon(daemon);
      throw err;
    }
  };
  await launch();
  return {
    port: o.port,
    pid: () => daemon.child.pid,
    restart(why) {
      const next = restarting.then(async () => {
        if (stopping) return;
        fs.appendFileSync(o.logFile, `\n--- ${new Date().toISOString()} killed by the watchdog: ${why}\n`);
        // SIGKILL, not SIGTERM: a FerretDB that stopped answering does not finish a graceful
        // shutdown (it waits for its stuck connections), and a stopped process ignores SIGTERM.
        // SQLite's journal makes the kill safe; PostgreSQL is a server of its own.
        if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
          daemon.child.kill("SIGKILL");
          await daemon.exited;
        }
        await launch();
      });
      restarting = next.catch(() => undefined);
      return next;
    },
    async stop() {
      stopping = true;
      await restarting;
      await stopDaemon(daemon);
    },
  };
}

/**
 * @param {{ root: string, log: Log, test: boolean }} o
 * @returns {Promise<{ url: string, ferretdb?: FerretDB }>}
 */
async function startMongo({ root, log, test }) {
  if (process.env.MONGO_URL) {
    log(`MongoDB: MONGO_URL=${redact(process.env.MONGO_URL)}`);
    return { url: process.env.MONGO_URL };
  }
  const bin = await ensureFerretDB(root, log);
  const base = test ? path.join(root, ".data", "test") : path.join(root, ".data");
  const backend = process.env.MINGBAI_FERRETDB_BACKEND || "sqlite";
  if (backend !== "sqlite" && backend !== "postgresql")
    throw new Error(`MINGBAI_FERRETDB_BACKEND must be "sqlite" or "postgresql", not "${backend}".`);
  const dataDir = path.join(base, backend === "sqlite" ? "ferretdb" : "ferretdb-pg");
  let backendArgs = sqliteArgs(dataDir);
  let described = `SQLite, ${rel(dataDir, root)}`;
  if (backend === "postgresql") {
    const pgUrl = await postgresUrl({ test, log });
    backendArgs = ["--handler=postgresql", `--postgresql-url=${pgUrl}`];
    described = `PostgreSQL, ${redact(pgUrl)}`;
  }
  const pidFile = path.join(base, "run", "ferretdb.pid");
  await reapStale(pidFile, "ferretdb", log);
  const port = await freePort();
  const logFile = path.join(base, "ferretdb.log");
  const ferretdb = await runFerretDB({ bin, backendArgs, dataDir, port, logFile, pidFile, cwd: base, root });
  log(`MongoDB: FerretDB ${FERRETDB_VERSION} (${described}) on 127.0.0.1:${port}`);
  return { url: `mongodb://127.0.0.1:${port}/`, ferretdb };
}

/**
 * The PostgreSQL database FerretDB's postgresql backend keeps its data in: MINGBAI_PG_URL, or a
 * server on 127.0.0.1:5432 (user postgres), database `mingbai` (`mingbai_test` for tests).
 * The database is created when missing, with psql if it is installed.
 * @param {{ test: boolean, log: Log }} o
 * @returns {Promise<string>}
 */
async function postgresUrl({ test, log }) {
  const url = new URL(
    process.env.MINGBAI_PG_URL || `postgres://postgres@127.0.0.1:5432/${test ? "mingbai_test" : "mingbai"}`,
  );
  const port = Number(url.port || 5432);
  if ((await tcpProbe(port, { host: url.hostname })) === null)
    throw new Error(
      `MINGBAI_FERRETDB_BACKEND=postgresql: nothing answers on ${url.hostname}:${port}. ` +
        "Start PostgreSQL (Debian: apt-get install postgresql) or set MINGBAI_PG_URL=postgres://user@host:port/db.",
    );
  const db = decodeURIComponent(url.pathname.replace(/^\//, "")) || "mingbai";
  if (!/^[A-Za-z0-9_]+$/.test(db))
    throw new Error(`MINGBAI_PG_URL: use a database name of letters, digits and _ (${db}).`);
  const psql = which("psql", ["/usr/bin", "/usr/lib/postgresql/15/bin", "/usr/local/bin"]);
  if (psql) {
    const admin = new URL(url.href);
    admin.pathname = "/postgres";
    const q = await run(psql, [admin.href, "-tAc", `select 1 from pg_database where datname = '${db}'`], {
      capture: true,
    });
    if (q.code === 0 && q.stdout.trim() !== "1") {
      const c = await run(psql, [admin.href, "-c", `create database ${db}`], { capture: true });
      if (c.code !== 0) throw new Error(`Could not create PostgreSQL database ${db}: ${c.stderr.trim()}`);
      log(`PostgreSQL: created database ${db}`);
    }
  } else log(`psql not found: database ${db} must exist already`);
  if (test) {
    // Tests start from an empty database, as they do with the SQLite folder.
    if (psql) {
      const q = await run(
        psql,
        [
          url.href,
          "-tAc",
          "select string_agg(quote_ident(nspname), ',') from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('information_schema', 'public')",
        ],
        { capture: true },
      );
      const schemas = q.stdout.trim();
      if (q.code === 0 && schemas)
        await run(psql, [url.href, "-c", `drop schema ${schemas} cascade`], { capture: true });
    }
  }
  return url.href;
}

/** @param {string} url */
function redact(url) {
  return url.replace(/\/\/([^:/@]*):([^@]*)@/, "//$1:***@");
}

// ---------------------------------------------------------------------------------------------
// NATS and Redis

/**
 * What it takes to find or start NATS and Redis: the same steps, different names and flags.
 * @typedef {{
 *   label: string, bin: string, scheme: string, envUrl: string, probeEnv: string, defaultPort: number,
 *   dirs: string[], probe: (port: number) => Promise<boolean>, missing: string,
 *   args: (port: number, dataDir: string, secret: string) => string[], started: string, existing: string,
 *   secretEnv: string, url: (port: number, secret: string) => string,
 *   up: (port: number) => Promise<boolean>
 * }} ServerKind
 */

/** @type {Record<"nats" | "redis", ServerKind>} */
const SERVERS = {
  nats: {
    label: "NATS",
    bin: "nats-server",
    scheme: "nats",
    envUrl: "NATS_URL",
    probeEnv: "MINGBAI_PROBE_NATS_PORT",
    defaultPort: 4222,
    dirs: ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", path.join(os.homedir(), "go", "bin")],
    probe: isNatsWithJetStream,
    missing:
      "NATS with JetStream is needed: nothing answers on 127.0.0.1:4222 and nats-server is not installed. " +
      "Install it (Debian/Ubuntu: apt-get install nats-server; or https://github.com/nats-io/nats-server/releases), " +
      "or set NATS_URL=nats://host:4222 to use an existing server with JetStream.",
    // The servers started here require a password too (as in every deployment): MINGBAI_NATS_PASSWORD,
    // else one made up for this start and handed to the services in NATS_URL.
    args: (port, dataDir, secret) => [
      "-js",
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "-sd",
      dataDir,
      "--user",
      "mingbai",
      "--pass",
      secret,
    ],
    secretEnv: "MINGBAI_NATS_PASSWORD",
    url: (port, secret) => `nats://mingbai:${encodeURIComponent(secret)}@127.0.0.1:${port}`,
    // INFO comes before authentication: the same probe tells that it is up.
    up: isNatsWithJetStream,
    started: "started nats-server with JetStream",
    existing: "existing server with JetStream",
  },
  redis: {
    label: "Redis",
    bin: "redis-server",
    scheme: "redis",
    envUrl: "REDIS_URL",
    probeEnv: "MINGBAI_PROBE_REDIS_PORT",
    defaultPort: 6379,
    dirs: ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"],
    probe: isRedis,
    missing:
      "Redis is needed: nothing answers on 127.0.0.1:6379 and redis-server is not installed. " +
      "Install it (Debian/Ubuntu: apt-get install redis-server), " +
      "or set REDIS_URL=redis://host:6379 to use an existing server.",
    args: (port, dataDir, secret) => [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dataDir,
      "--save",
      "60 1",
      "--appendonly",
      "yes",
      "--requirepass",
      secret,
    ],
    secretEnv: "MINGBAI_REDIS_PASSWORD",
    url: (port, secret) => `redis://:${encodeURIComponent(secret)}@127.0.0.1:${port}`,
    // Without the password a PING is refused (NOAUTH): that refusal is Redis, up.
    up: async (port) => (await tcpProbe(port, { send: "PING\r\n", readLine: true }))?.startsWith("-NOAUTH") ?? false,
    started: "started redis-server",
    existing: "existing server",
  },
};

/**
 * Uses the server named by its URL variable, else one answering on its default port, else starts
 * one (installing the Debian package when running as root) with its data under `.data/`.
 * @param {ServerKind} k
 * @param {{ root: string, log: Log, test: boolean }} o
 * @returns {Promise<{ url: string, daemon?: Daemon }>}
 */
async function startServer(k, { root, log, test }) {
  const given = process.env[k.envUrl];
  if (given) {
    log(`${k.label}: ${k.envUrl}=${redact(given)}`);
    return { url: given };
  }
  const probePort = Number(process.env[k.probeEnv] || k.defaultPort);
  if (await k.probe(probePort)) {
    log(`${k.label}: ${k.existing} at 127.0.0.1:${probePort}`);
    return { url: `${k.scheme}://127.0.0.1:${probePort}` };
  }
  let bin = which(k.bin, k.dirs);
  if (!bin && (await aptInstall(k.bin, log))) bin = which(k.bin, k.dirs);
  if (!bin) throw new Error(k.missing);
  const base = test ? path.join(root, ".data", "test") : path.join(root, ".data");
  const dataDir = path.join(base, k.scheme);
  const pidFile = path.join(base, "run", `${k.bin}.pid`);
  await reapStale(pidFile, k.bin, log);
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(base, `${k.scheme}.log`);
  const secret = process.env[k.secretEnv] || crypto.randomBytes(18).toString("base64url");
  const daemon = startDaemon(k.bin, bin, k.args(port, dataDir, secret), { logFile, pidFile, cwd: base });
  try {
    await waitUntil(() => k.up(port), {
      name: k.bin,
      child: daemon.child,
      timeoutMs: 30_000,
      logFile: rel(logFile, root),
    });
  } catch (err) {
    await stopDaemon(daemon);
    throw err;
  }
  log(`${k.label}: ${k.started} (${rel(dataDir, root)}) on 127.0.0.1:${port}, with a password`);
  return { url: k.url(port, secret), daemon };
}

// ---------------------------------------------------------------------------------------------

/**
 * Brings up MongoDB (FerretDB), NATS and Redis, reusing what MONGO_URL / NATS_URL / REDIS_URL or
 * the machine already provide, and starting the rest.
 * With `test: true`, FerretDB (and any server started here) uses `<root>/.data/test/`, wiped first.
 * `ferretdb` is the FerretDB started here, if any (for the watchdog).
 * @param {{ root: string, log?: Log, test?: boolean }} opts
 * @returns {Promise<{ mongoUrl: string, natsUrl: string, redisUrl: string, ferretdb?: FerretDB,
 *   stop: () => Promise<void> }>}
 */
async function startInfra({ root, log = (m) => console.log(m), test = false }) {
  root = path.resolve(root);
  if (test) {
    const testDir = path.join(root, ".data", "test");
    const runDir = path.join(testDir, "run");
    if (fs.existsSync(runDir)) {
      for (const f of fs.readdirSync(runDir)) {
        await reapStale(path.join(runDir, f), f.replace(/\.pid$/, ""), log);
      }
    }
    fs.rmSync(testDir, { recursive: true, force: true });
  }
  /** @type {(() => Promise<void>)[]} */
  const stoppers = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // reverse order: Redis, NATS, then the database
    for (const s of stoppers.reverse()) await s();
  };
  try {
    const o = { root, log, test };
    const mongo = await startMongo(o);
    const { ferretdb } = mongo;
    if (ferretdb) stoppers.push(() => ferretdb.stop());
    const nats = await startServer(SERVERS.nats, o);
    const natsDaemon = nats.daemon;
    if (natsDaemon) stoppers.push(() => stopDaemon(natsDaemon));
    const redis = await startServer(SERVERS.redis, o);
    const redisDaemon = redis.daemon;
    if (redisDaemon) stoppers.push(() => stopDaemon(redisDaemon));
    return { mongoUrl: mongo.url, natsUrl: nats.url, redisUrl: redis.url, ferretdb, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Emergency stop, for a signal that arrives while startInfra is still running (for example
 * during the FerretDB build): kills every child process this module started.
 */
async function killAll() {
  const list = [...active];
  for (const c of list) c.kill("SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (list.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
    await sleep(100);
  }
  for (const c of list) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

module.exports = {
  startInfra,
  killAll,
  reapStale,
  freePort,
  tcpProbe,
  aptInstall,
  ensureFerretDB,
  sqliteArgs,
  runFerretDB,
};
