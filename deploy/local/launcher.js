// @ts-check
/*
 * The one command behind `npm start`, `npm test` and `npm run demo:reset`.
 *
 *   node deploy/local/launcher.js <start|test|demo-reset> [--single] [--no-build] [extra args]
 *
 * Plain CommonJS with Node built-ins only, runnable on Node 20: on a fresh clone it is the first
 * thing that runs. It installs node_modules when needed, then re-runs itself on the project's
 * Node 24 (node_modules/.bin/node). See deploy/local/README.md.
 */
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const http = require("http");
const readline = require("readline");
const { spawn, spawnSync } = require("child_process");
const { setTimeout, clearTimeout } = require("timers");

const ROOT = path.resolve(__dirname, "..", "..");
const NODE_MAJOR_NEEDED = 24;
const STOP_TIMEOUT_MS = 10_000;
/** A worklog replica reads every log before it is ready: give a loaded machine time (MINGBAI_READY_TIMEOUT_S). */
const READY_TIMEOUT_MS = Number(process.env.MINGBAI_READY_TIMEOUT_S || 300) * 1000;
const MAX_RESTARTS_PER_MINUTE = 5;
const isWin = process.platform === "win32";

const useColour = !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
/** @param {number} code @param {string} s */
const colour = (code, s) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);
const PALETTE = [36, 35, 33, 32, 34, 91, 96, 95, 93, 92, 94];

/** @param {string} msg */
const log = (msg) => console.log(`${colour(1, "[mingbai]")} ${msg}`);
/** @param {string} msg */
const warn = (msg) => console.warn(`${colour(33, "[mingbai] warning:")} ${msg}`);
/** @param {string} msg */
const fail = (msg) => console.error(`${colour(31, "[mingbai] error:")} ${msg}`);

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} p */
const inRoot = (p) => path.join(ROOT, p);
const RUN_DIR = inRoot(".data/run");
const nodeBin = inRoot(isWin ? "node_modules/node/bin/node.exe" : "node_modules/.bin/node");

// ---------------------------------------------------------------------------------------------
// arguments

const USAGE =
  "Usage: node deploy/local/launcher.js <start|test|demo-reset> [--single] [--no-build] [--no-e2e|--e2e-only] [extra args]";
const [command, ...rawArgs] = process.argv.slice(2);
const single = rawArgs.includes("--single");
const noBuild = rawArgs.includes("--no-build");
const noE2e = rawArgs.includes("--no-e2e");
const e2eOnly = rawArgs.includes("--e2e-only");
const OWN_FLAGS = ["--single", "--no-build", "--e2e", "--no-e2e", "--e2e-only"];
const extraArgs = rawArgs.filter((a) => !OWN_FLAGS.includes(a));
// `npm test` is the whole suite, browser tests included; naming test files or jest options (as in
// `npm test -- test/unit`) runs just those, and --no-e2e leaves the browser out (--e2e is accepted
// for the old habit).
const withE2e = !noE2e && (e2eOnly || rawArgs.includes("--e2e") || extraArgs.length === 0);

// ---------------------------------------------------------------------------------------------
// step 1: dependencies and the right Node

function ensureDependencies() {
  if (process.env.MINGBAI_LAUNCHER_CHILD) return; // the parent already did this
  const lock = inRoot("package-lock.json");
  const installed = inRoot("node_modules/.package-lock.json");
  if (!fs.existsSync(lock)) return;
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log("Installing dependencies: npm ci --no-audit --no-fund");
  const r = spawnSync(isWin ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: "inherit",
    shell: isWin,
  });
  if (r.status !== 0) {
    fail(`npm ci failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`}).`);
    process.exit(1);
  }
}

/** Re-runs this script on node_modules' Node 24 when the current Node is older. Never returns. */
function reexecOnProjectNode() {
  if (!fs.existsSync(nodeBin)) {
    fail(
      `Node ${process.versions.node} is too old and ${path.relative(ROOT, nodeBin)} is missing; ` +
        `run npm ci, or use Node ${NODE_MAJOR_NEEDED}+.`,
    );
    process.exit(1);
  }
  if (process.env.MINGBAI_LAUNCHER_CHILD) {
    fail(`${path.relative(ROOT, nodeBin)} is not Node ${NODE_MAJOR_NEEDED}+ (it runs ${process.version}).`);
    process.exit(1);
  }
  const child = spawn(nodeBin, [path.join(__dirname, "launcher.js"), ...process.argv.slice(2)], {
    cwd: process.cwd(),
    stdio: "inherit",
    env: { ...process.env, MINGBAI_LAUNCHER_CHILD: "1" },
  });
  // Pass signals on. After a terminal Ctrl-C the child gets SIGINT twice (from the terminal and
  // from here); it treats a repeat within a second as the same request.
  for (const sig of /** @type {NodeJS.Signals[]} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
    process.on(sig, () => child.kill(sig));
  }
  child.on("error", (err) => {
    fail(`could not run ${nodeBin}: ${err.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
}

// ---------------------------------------------------------------------------------------------
// step 2: build

function build() {
  if (noBuild) return;
  if (!fs.existsSync(inRoot("tsconfig.build.json"))) {
    warn("tsconfig.build.json does not exist yet; skipping the build.");
    return;
  }
  log("Building: tsc -p tsconfig.build.json");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [inRoot("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
    env: childEnv({}),
  });
  if (r.status !== 0) {
    fail(`the TypeScript build failed (exit ${r.status ?? r.signal}); fix the errors above, then run again.`);
    process.exit(r.status || 1);
  }
  log(`Built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Newest modification time (ms) of the files under `dir`, skipping node_modules and dist. @param {string} dir */
function newestMtime(dir) {
  let newest = 0;
  /** @param {string} p */
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (base === "node_modules" || base === "dist") return;
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  walk(dir);
  return newest;
}

/**
 * Builds the web client with Vite when web/dist is missing or older than its sources (the client's
 * own files and the shared contracts it imports). The gateway serves web/dist.
 */
function buildWeb() {
  const webDir = inRoot("web");
  if (!fs.existsSync(path.join(webDir, "package.json"))) return;
  const index = path.join(webDir, "dist", "index.html");
  const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (noBuild) {
    if (!builtAt) warn("web/dist does not exist and --no-build was given; the gateway will serve no web client.");
    return;
  }
  const sources = Math.max(
    newestMtime(webDir),
    newestMtime(inRoot("shared/contracts")),
    newestMtime(inRoot("shared/auth.ts")),
    newestMtime(inRoot("shared/time.ts")),
  );
  if (builtAt && builtAt >= sources) return;
  const vite = inRoot("node_modules/vite/bin/vite.js");
  if (!fs.existsSync(vite)) {
    warn("node_modules/vite is missing (run npm install); skipping the web client build.");
    return;
  }
  log(`Building the web client: vite build (${builtAt ? "sources changed" : "web/dist is missing"})`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: webDir,
    stdio: "inherit",
    env: childEnv({ VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" }),
  });
  if (r.status !== 0) {
    fail(`the web client build failed (exit ${r.status ?? r.signal}); fix the errors above, then run again.`);
    process.exit(r.status || 1);
  }
  log(`Built the web client in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * The environment for children: the caller's, the infra URLs, and Node 24 first on PATH so that
 * `#!/usr/bin/env node` scripts run on it too.
 * @param {Record<string, string>} extra
 * @returns {NodeJS.ProcessEnv}
 */
function childEnv(extra) {
  const nodeDir = path.dirname(fs.realpathSync(process.execPath));
  const PATH = [nodeDir, inRoot("node_modules/.bin"), process.env.PATH || ""].join(path.delimiter);
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PATH, ...extra };
  delete env.MINGBAI_LAUNCHER_CHILD;
  return env;
}

// ---------------------------------------------------------------------------------------------
// shutdown bookkeeping

/** @type {{ stop: () => Promise<void> } | null} */
let infra = null;
let shuttingDown = false;
/** @type {(() => void)[]} */
const onShutdown = [];
/** @type {Set<Service>} */
const services = new Set();
/** @type {import('child_process').ChildProcess | null} */
let foreground = null; // jest or the seeder: gets the signal, and we wait for it

/**
 * Stops the platform, then the infrastructure this run started, then exits.
 * @param {number} code
 * @param {string} [why]
 */
async function shutdown(code, why) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const f of onShutdown) f();
  if (why) log(why);
  if (foreground && foreground.exitCode === null && foreground.signalCode === null) {
    const fg = foreground;
    await new Promise((resolve) => {
      fg.once("exit", resolve);
      setTimeout(() => fg.kill("SIGKILL"), STOP_TIMEOUT_MS).unref();
    });
  }
  if (services.size) {
    log(`Stopping ${services.size === 1 ? "the platform" : "the services"} ...`);
    await Promise.all([...services].map((s) => s.stop()));
  }
  try {
    if (infra) {
      log("Stopping infrastructure ...");
      await infra.stop();
    } else {
      await require("./infra").killAll();
    }
  } catch (err) {
    warn(`stopping infrastructure: ${/** @type {Error} */ (err).message}`);
  }
  process.exit(code);
}

let firstSignalAt = 0;
function installSignalHandlers() {
  for (const sig of /** @type {NodeJS.Signals[]} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
    process.on(sig, () => {
      if (firstSignalAt) {
        // the same Ctrl-C can arrive twice (terminal + Node 20 parent); a later one means "now"
        if (Date.now() - firstSignalAt < 1000) return;
        warn("second signal: killing the platform now");
        for (const s of services) s.kill("SIGKILL");
        if (foreground) foreground.kill("SIGKILL");
        return;
      }
      firstSignalAt = Date.now();
      if (foreground) foreground.kill(sig);
      void shutdown(sig === "SIGINT" ? 130 : 143, `${sig} received, shutting down`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// the platform's processes

class Service {
  /**
   * @param {string} name  shown as the output prefix
   * @param {string} servicesEnv  the SERVICES variable for the process
   * @param {NodeJS.ProcessEnv} env
   * @param {number} index  for the colour
   */
  constructor(name, servicesEnv, env, index) {
    this.name = name;
    // A fixed node id per service: a process restarted after a crash takes its predecessor's place in
    // every broker's registry at once, instead of sharing calls with a dead node until its heartbeat
    // times out (each of those calls would wait out the request timeout).
    this.env = { ...env, SERVICES: servicesEnv, MINGBAI_NODE_ID: `${os.hostname()}-${name}` };
    this.prefix = colour(PALETTE[index % PALETTE.length], `[${name}]`);
    /** @type {import('child_process').ChildProcess | null} */
    this.child = null;
    /** @type {number[]} */
    this.restarts = [];
    this.stopping = false;
    /** @type {NodeJS.Timeout | null} */
    this.restartTimer = null;
    this.pidFile = path.join(RUN_DIR, `service-${name}.pid`);
  }

  start() {
    const child = spawn(nodeBin, [inRoot("dist/services/main.js")], {
      cwd: ROOT,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: !isWin, // own process group: a terminal Ctrl-C reaches only the launcher
    });
    this.child = child;
    if (child.pid) {
      fs.mkdirSync(RUN_DIR, { recursive: true });
      fs.writeFileSync(this.pidFile, JSON.stringify({ pid: child.pid, owner: process.pid, cmd: this.name }) + "\n");
    }
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const out = stream === child.stderr ? process.stderr : process.stdout;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        out.write(`${this.prefix} ${line}\n`);
      });
    }
    child.on("error", (err) => fail(`${this.name}: ${err.message}`));
    child.on("exit", (code, signal) => this.onExit(child, code, signal));
  }

  /**
   * @param {import('child_process').ChildProcess} child
   * @param {number | null} code
   * @param {NodeJS.Signals | null} signal
   */
  onExit(child, code, signal) {
    if (this.child !== child) return;
    this.child = null;
    fs.rmSync(this.pidFile, { force: true });
    if (this.stopping || shuttingDown) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      fail(
        `${this.name} crashed ${MAX_RESTARTS_PER_MINUTE + 1} times within a minute ` +
          `(last exit: ${signal || `code ${code}`}); giving up. See its output above.`,
      );
      void shutdown(1);
      return;
    }
    this.restarts.push(now);
    const delay = Math.min(500 * 2 ** (this.restarts.length - 1), 10_000);
    warn(`${this.name} exited (${signal || `code ${code}`}); restarting in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping && !shuttingDown) this.start();
    }, delay);
  }

  /** @param {NodeJS.Signals} sig */
  kill(sig) {
    const c = this.child;
    if (!c || !c.pid || c.exitCode !== null || c.signalCode !== null) return;
    try {
      if (isWin) c.kill(sig);
      else process.kill(-c.pid, sig); // the whole group, in case it started helpers
    } catch {
      c.kill(sig);
    }
  }

  async stop() {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once("exit", resolve));
    this.kill("SIGTERM");
    const timer = new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, "timeout"));
    if ((await Promise.race([exited, timer])) === "timeout") {
      warn(`${this.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      this.kill("SIGKILL");
      await exited;
    }
  }
}

/** The service list, from the built shared code (one list for the launcher and the processes). @returns {string[]} */
function serviceNames() {
  return [...require(inRoot("dist/shared/services.js")).SERVICE_NAMES];
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} oneProcess
 */
async function startPlatform(env, oneProcess) {
  const main = inRoot("dist/services/main.js");
  if (!fs.existsSync(main)) {
    throw new Error("dist/services/main.js does not exist: the build produced no service entry point yet.");
  }
  // service processes left over by a launcher that was killed (kill -9) would hold the port
  if (fs.existsSync(RUN_DIR)) {
    const { reapStale } = require("./infra");
    for (const f of fs.readdirSync(RUN_DIR).filter((n) => n.startsWith("service-"))) {
      await reapStale(path.join(RUN_DIR, f), "dist/services/main.js", log);
    }
  }
  const list = oneProcess ? [["platform", "all"]] : serviceNames().map((n) => [n, n]);
  log(
    oneProcess
      ? "Starting the platform in one process (SERVICES=all)"
      : `Starting ${list.length} service processes: ${list.map(([n]) => n).join(", ")}`,
  );
  list.forEach(([name, servicesEnv], i) => {
    const s = new Service(name, servicesEnv, env, i);
    services.add(s);
    s.start();
  });
}

/** @param {number} port @returns {Promise<number>} the HTTP status of GET /ready, 0 when unreachable */
function getReady(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/ready", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode || 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/** @param {number} port */
async function waitReady(port) {
  const t0 = Date.now();
  process.stdout.write(`${colour(1, "[mingbai]")} Waiting for http://127.0.0.1:${port}/ready `);
  /** @type {number} */
  let last;
  while (!shuttingDown) {
    last = await getReady(port);
    if (last === 200) {
      process.stdout.write(` ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      return;
    }
    if (Date.now() - t0 > READY_TIMEOUT_MS) {
      process.stdout.write("\n");
      throw new Error(
        `the platform was not ready within ${READY_TIMEOUT_MS / 1000} s ` +
          `(last answer from /ready: ${last || "no connection"}). See the service output above.`,
      );
    }
    process.stdout.write(".");
    await sleep(1000);
  }
  process.stdout.write("\n");
}

/**
 * Runs the seeder in the foreground.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number | null>} exit code, or null when seed.js does not exist
 */
async function runSeed(args, env) {
  const seed = inRoot("dist/services/seed.js");
  if (!fs.existsSync(seed)) return null;
  log(`Seeding: seed.js ${args.join(" ")}`);
  return runForeground(nodeBin, [seed, ...args], env);
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function runForeground(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
    foreground = child;
    child.on("error", (err) => {
      fail(`could not run ${cmd}: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      if (foreground === child) foreground = null;
      resolve(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1));
    });
  });
}

/** Terminal columns taken by a string (CJK characters take two). @param {string} s */
function displayWidth(s) {
  let w = 0;
  for (const ch of s) {
    const c = /** @type {number} */ (ch.codePointAt(0));
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000;
    w += wide ? 2 : 1;
  }
  return w;
}

/** @param {string[]} lines */
function box(lines) {
  const width = Math.max(...lines.map(displayWidth));
  const out = [`┌${"─".repeat(width + 2)}┐`];
  for (const l of lines) out.push(`│ ${l}${" ".repeat(width - displayWidth(l))} │`);
  out.push(`└${"─".repeat(width + 2)}┘`);
  console.log(colour(32, out.join("\n")));
}

/** @param {number} port */
function printWelcome(port) {
  /** @type {{ role: string, username: string, password: string }[]} */
  let logins = [];
  try {
    const { DEMO_USERNAMES, DEMO_PASSWORD } = require(inRoot("dist/shared/contracts/accounts.js"));
    const { ROLE_LABELS } = require(inRoot("dist/shared/auth.js"));
    logins = Object.entries(DEMO_USERNAMES).map(([role, username]) => ({
      role: `${ROLE_LABELS[role]} ${role}`,
      username: String(username),
      password: DEMO_PASSWORD,
    }));
  } catch (err) {
    warn(`could not read the demo logins from dist/: ${/** @type {Error} */ (err).message}`);
  }
  const lines = ["明白 Mingbai is running", "", `Open  http://localhost:${port}`];
  if (logins.length) {
    lines.push("", "Demo logins (role / username / password):");
    const rw = Math.max(...logins.map((l) => displayWidth(l.role)));
    const uw = Math.max(...logins.map((l) => displayWidth(l.username)));
    for (const l of logins) {
      const role = l.role + " ".repeat(rw - displayWidth(l.role));
      const user = l.username + " ".repeat(uw - displayWidth(l.username));
      lines.push(`  ${role}  ${user}  ${l.password}`);
    }
  }
  lines.push("", "Press Ctrl-C to stop.");
  box(lines);
}

// ---------------------------------------------------------------------------------------------
// commands

/**
 * Watches the FerretDB this run started (deploy/local/db-watchdog.js): a real read of every
 * database every MINGBAI_DB_WATCHDOG_INTERVAL_S, and a restart on the same port when one has not
 * answered for MINGBAI_DB_WATCHDOG_STALL_S (shared/config.ts, read from the build).
 * @param {import('./infra').FerretDB} ferretdb
 */
function startDbWatchdog(ferretdb) {
  /** @type {{ dbWatchdogStallSeconds: number, dbWatchdogIntervalSeconds: number }} */
  let cfg;
  try {
    cfg = require(inRoot("dist/shared/config.js")).loadConfig();
  } catch (err) {
    warn(`no database watchdog: ${/** @type {Error} */ (err).message}`);
    return;
  }
  const stallS = cfg.dbWatchdogStallSeconds;
  const intervalS = cfg.dbWatchdogIntervalSeconds;
  if (!stallS) {
    log("Database watchdog: off (MINGBAI_DB_WATCHDOG_STALL_S=0)");
    return;
  }
  const { startWatchdog } = require("./db-watchdog");
  const watchdog = startWatchdog({
    port: ferretdb.port,
    intervalMs: intervalS * 1000,
    stallMs: stallS * 1000,
    restart: (why) => ferretdb.restart(why),
    log: warn,
  });
  onShutdown.push(() => void watchdog.stop());
  log(`Database watchdog: reads every database every ${intervalS} s; restarts FerretDB after ${stallS} s unanswered`);
}

/** @param {boolean} test */
async function bringUpInfra(test) {
  const { startInfra } = require("./infra");
  const started = await startInfra({ root: ROOT, log, test });
  infra = started;
  if (started.ferretdb) startDbWatchdog(started.ferretdb);
  return childEnv({
    MONGO_URL: started.mongoUrl,
    NATS_URL: started.natsUrl,
    REDIS_URL: started.redisUrl,
    ...(test ? { MINGBAI_TEST: "1" } : {}),
  });
}

async function cmdStart() {
  const port = Number(process.env.PORT || 3000);
  const env = await bringUpInfra(false);
  if (shuttingDown) return;
  await startPlatform(env, single);
  await waitReady(port);
  if (shuttingDown) return;
  const code = await runSeed(["--if-empty"], env);
  if (code === null) warn("dist/services/seed.js does not exist yet; no demo data was loaded.");
  else if (code !== 0 && !shuttingDown) warn(`the demo seeder exited with code ${code}; demo data may be missing.`);
  if (shuttingDown) return;
  printWelcome(port);
  await new Promise(() => {}); // runs until a signal, or a service gives up
}

async function cmdTest() {
  const env = await bringUpInfra(true);
  if (shuttingDown) return;
  const jest = inRoot("node_modules/jest/bin/jest.js");
  let code = 0;
  if (!e2eOnly) {
    log(`Running: jest --runInBand ${extraArgs.join(" ")}`.trim());
    code = await runForeground(nodeBin, [jest, "--runInBand", ...extraArgs], env);
  }
  if (!shuttingDown && withE2e) {
    const e2e = await runE2e(env, jest);
    code = code || e2e;
  }
  if (!shuttingDown) await shutdown(code);
}

const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/**
 * The browser suite: starts the whole platform on the test infrastructure with demo data, then runs
 * jest.e2e.config.js against it with Debian's Chromium (installed with apt-get when missing and
 * running as root). Without Chromium it is skipped with a warning, or fails the run in CI.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} jest
 * @returns {Promise<number>}
 */
async function runE2e(env, jest) {
  // On a developer's machine a missing part skips the browser tests with a warning; in CI it fails
  // the run, which must not pass by being silently shorter (.ci/run installs Chromium).
  /** @param {string} why */
  const cannotRun = (why) => {
    (process.env.CI ? fail : warn)(`${why}; ${process.env.CI ? "cannot run" : "skipping"} the browser tests.`);
    return process.env.CI ? 1 : 0;
  };
  const { freePort, aptInstall } = require("./infra");
  const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  // Debian's Chromium, and CJK fonts so that the screenshots show Chinese (installed when root).
  if (!process.env.CHROMIUM_PATH && !fs.existsSync(chromium)) {
    await aptInstall("chromium", log);
    if (!fs.existsSync(CJK_FONT)) await aptInstall("fonts-noto-cjk", log);
  }
  if (!fs.existsSync(chromium))
    return cannotRun(`${chromium} does not exist (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!fs.existsSync(inRoot("web/dist/index.html"))) return cannotRun("web/dist is missing");
  const port = await freePort();
  const platformEnv = { ...env, PORT: String(port), MINGBAI_NAMESPACE: "e2e", LOG_LEVEL: "warn" };
  delete platformEnv.MINGBAI_TEST;
  log(`Browser tests: starting the platform on port ${port} with demo data`);
  await startPlatform(platformEnv, single);
  await waitReady(port);
  if (shuttingDown) return 1;
  const seeded = await runSeed(["--if-empty"], platformEnv);
  if (seeded !== null && seeded !== 0) {
    fail(`the demo seeder exited with code ${seeded}; cannot run the browser tests.`);
    return seeded;
  }
  if (shuttingDown) return 1;
  log("Running: jest -c jest.e2e.config.js --runInBand");
  const code = await runForeground(nodeBin, [jest, "-c", "jest.e2e.config.js", "--runInBand"], {
    ...env,
    MINGBAI_E2E_URL: `http://127.0.0.1:${port}`,
    CHROMIUM_PATH: chromium,
  });
  log("Stopping the platform of the browser tests ...");
  await Promise.all([...services].map((s) => s.stop()));
  services.clear();
  return code;
}

async function cmdDemoReset() {
  const port = Number(process.env.PORT || 3000);
  const env = await bringUpInfra(false);
  if (shuttingDown) return;
  await startPlatform(env, true);
  await waitReady(port);
  if (shuttingDown) return;
  const code = await runSeed(["--reset"], env);
  if (code === null) {
    fail("dist/services/seed.js does not exist yet; nothing to reset with.");
    return shutdown(1);
  }
  if (!shuttingDown) await shutdown(code, code === 0 ? "Demo data reset." : `The seeder failed (exit ${code}).`);
}

async function main() {
  const commands = { start: cmdStart, test: cmdTest, "demo-reset": cmdDemoReset };
  if (!command || !(command in commands)) {
    console.error(USAGE);
    process.exit(2);
  }
  process.chdir(ROOT);
  ensureDependencies();
  if (Number(process.versions.node.split(".")[0]) < NODE_MAJOR_NEEDED) {
    reexecOnProjectNode();
    return;
  }
  installSignalHandlers();
  build();
  buildWeb();
  try {
    await commands[/** @type {keyof typeof commands} */ (command)]();
  } catch (err) {
    if (!shuttingDown) {
      fail(/** @type {Error} */ (err).message);
      await shutdown(1);
    }
  }
}

void main();
