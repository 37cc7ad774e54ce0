// @ts-check
/*
 * The watchdog of the embedded database: every few seconds it reads from each database of the
 * FerretDB the launcher started, each read under a timeout; when the server, or one database, has
 * not answered a read for `stallMs`, it has FerretDB restarted (on the same port, so MONGO_URL stays
 * valid and the services' drivers reconnect by themselves) and logs why.
 *
 * Why: FerretDB 1.24.2 froze under the staff import (every request blocked on the SQLite backend's
 * metadata lock, held by a createIndexes waiting for a pooled SQLite connection that an open cursor
 * held) and never recovered on its own. A ping still answered in such a state, so the probe is a
 * real read: listCollections, then a one-document find, through the same locks and pool as a
 * service's queries.
 *
 * Node built-ins only, like infra.js: the probe speaks just enough of the MongoDB wire protocol
 * (OP_MSG with a small BSON codec), on a fresh TCP connection per database and round, so a stuck
 * probe never queues behind another one and nothing of a driver's pooling hides a stall.
 */
"use strict";

const net = require("net");
const { Buffer } = require("buffer");
const { setTimeout, clearTimeout } = require("timers");

// ---------------------------------------------------------------------------------------------
// BSON, just what the probe's commands and their replies need

/** @typedef {string | number | boolean | null | Doc | unknown[]} Value */
/** @typedef {{ [key: string]: Value }} Doc */

/** @param {Doc} doc @returns {Buffer} */
function encodeDoc(doc) {
  /** @type {Buffer[]} */
  const parts = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = Buffer.from(`${key}\0`, "utf8");
    if (typeof value === "string") {
      const s = Buffer.from(`${value}\0`, "utf8");
      const len = Buffer.alloc(4);
      len.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), name, len, s);
    } else if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
      const n = Buffer.alloc(4);
      n.writeInt32LE(value);
      parts.push(Buffer.from([0x10]), name, n);
    } else if (typeof value === "number") {
      const n = Buffer.alloc(8);
      n.writeDoubleLE(value);
      parts.push(Buffer.from([0x01]), name, n);
    } else if (typeof value === "boolean") {
      parts.push(Buffer.from([0x08]), name, Buffer.from([value ? 1 : 0]));
    } else if (value === null) {
      parts.push(Buffer.from([0x0a]), name);
    } else if (Array.isArray(value)) {
      parts.push(
        Buffer.from([0x04]),
        name,
        encodeDoc(Object.fromEntries(value.map((v, i) => [String(i), /** @type {Value} */ (v)]))),
      );
    } else {
      parts.push(Buffer.from([0x03]), name, encodeDoc(/** @type {Doc} */ (value)));
    }
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeInt32LE(body.length + 5);
  return Buffer.concat([head, body, Buffer.from([0])]);
}

/** Fixed sizes of the BSON types the decoder skips over. @type {Record<number, number>} */
const FIXED_SIZE = { 0x06: 0, 0x07: 12, 0x09: 8, 0x11: 8, 0x12: 8, 0x13: 16, 0xff: 0, 0x7f: 0 };

/**
 * Decodes a document; values of types the probe does not read (ids, dates, binaries, ...) are
 * skipped and left out.
 * @param {Buffer} buf @param {number} [at]
 * @returns {Doc}
 */
function decodeDoc(buf, at = 0) {
  const end = at + buf.readInt32LE(at) - 1;
  /** @type {Doc} */
  const out = {};
  let i = at + 4;
  while (i < end) {
    const type = buf[i++];
    const nameEnd = buf.indexOf(0, i);
    const key = buf.toString("utf8", i, nameEnd);
    i = nameEnd + 1;
    if (type === 0x01) {
      out[key] = buf.readDoubleLE(i);
      i += 8;
    } else if (type === 0x02 || type === 0x0d || type === 0x0e) {
      const len = buf.readInt32LE(i);
      out[key] = buf.toString("utf8", i + 4, i + 4 + len - 1);
      i += 4 + len;
    } else if (type === 0x03 || type === 0x04) {
      const v = decodeDoc(buf, i);
      out[key] = type === 0x04 ? Object.values(v) : v;
      i += buf.readInt32LE(i);
    } else if (type === 0x05) {
      i += 4 + 1 + buf.readInt32LE(i);
    } else if (type === 0x08) {
      out[key] = buf[i++] === 1;
    } else if (type === 0x0a) {
      out[key] = null;
    } else if (type === 0x0b) {
      i = buf.indexOf(0, buf.indexOf(0, i) + 1) + 1;
    } else if (type === 0x10) {
      out[key] = buf.readInt32LE(i);
      i += 4;
    } else if (type === 0x12) {
      out[key] = Number(buf.readBigInt64LE(i));
      i += 8;
    } else if (type in FIXED_SIZE) {
      i += FIXED_SIZE[type];
    } else {
      throw new Error(`BSON type 0x${type.toString(16)} in field ${key} is not understood`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// OP_MSG over one TCP connection

const OP_MSG = 2013;
let lastRequestId = 0;

/**
 * One connection to the server, one command at a time; every command fails after `timeoutMs`
 * without an answer, and the connection is then closed (the server drops what it was doing for it
 * once it gets to read again).
 */
class WireClient {
  /** @param {net.Socket} sock @param {number} timeoutMs */
  constructor(sock, timeoutMs) {
    this.sock = sock;
    this.timeoutMs = timeoutMs;
    this.buf = Buffer.alloc(0);
    /** @type {{ resolve: (d: Doc) => void, reject: (e: Error) => void } | null} */
    this.waiting = null;
    /** @type {Error | null} */
    this.failed = null;
    sock.on("data", (d) => this.onData(d));
    sock.on("error", (e) => this.fail(e));
    sock.on("close", () => this.fail(new Error("connection closed")));
  }

  /** @param {number} port @param {string} host @param {number} timeoutMs @returns {Promise<WireClient>} */
  static connect(port, host, timeoutMs) {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ port, host });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      sock.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once("connect", () => {
        clearTimeout(timer);
        resolve(new WireClient(sock, timeoutMs));
      });
    });
  }

  /** @param {Error} err */
  fail(err) {
    this.failed ??= err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }

  /** @param {Buffer} d */
  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    if (this.buf.length < 4) return;
    const len = this.buf.readInt32LE(0);
    if (this.buf.length < len) return;
    const msg = this.buf.subarray(0, len);
    this.buf = this.buf.subarray(len);
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    try {
      if (msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0) throw new Error("unexpected reply");
      w.resolve(decodeDoc(msg, 21));
    } catch (err) {
      w.reject(/** @type {Error} */ (err));
    }
  }

  /**
   * Runs a command; rejects on `ok: 0` with the server's message.
   * @param {string} db @param {Doc} cmd @returns {Promise<Doc>}
   */
  run(db, cmd) {
    if (this.failed) return Promise.reject(this.failed);
    const body = encodeDoc({ ...cmd, $db: db });
    const head = Buffer.alloc(21);
    head.writeInt32LE(21 + body.length, 0);
    head.writeInt32LE(++lastRequestId, 4);
    head.writeInt32LE(0, 8);
    head.writeInt32LE(OP_MSG, 12);
    head.writeUInt32LE(0, 16); // flags
    head[20] = 0; // section kind 0: the command document
    const name = Object.keys(cmd)[0];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`${name} did not answer within ${this.timeoutMs / 1000} s`));
        this.sock.destroy();
      }, this.timeoutMs);
      this.waiting = {
        resolve: (d) => {
          clearTimeout(timer);
          if (d.ok === 1 || d.ok === true) resolve(d);
          else reject(new Error(`${name} failed: ${d.errmsg ?? JSON.stringify(d)}`));
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.sock.write(Buffer.concat([head, body]));
    });
  }

  close() {
    this.sock.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// the probe

/**
 * @typedef {object} ProbeResult
 * @property {string | null} server  why listing the databases failed, or null
 * @property {Map<string, string | null>} dbs  per database: why its read failed, or null
 */

/**
 * Reads from every database: `listDatabases` on one connection, then for each database, on its
 * own connection, `listCollections` and a one-document `find` on its first collection.
 * @param {number} port
 * @param {{ host?: string, timeoutMs: number }} o
 * @returns {Promise<ProbeResult>}
 */
async function probeDatabases(port, { host = "127.0.0.1", timeoutMs }) {
  /** @type {Map<string, string | null>} */
  const dbs = new Map();
  /** @type {string[]} */
  let names;
  /** @type {WireClient | null} */
  let c = null;
  try {
    c = await WireClient.connect(port, host, timeoutMs);
    const r = await c.run("admin", { listDatabases: 1, nameOnly: true });
    names = /** @type {Doc[]} */ (r.databases ?? []).map((d) => String(d.name));
  } catch (err) {
    return { server: /** @type {Error} */ (err).message, dbs };
  } finally {
    c?.close();
  }
  await Promise.all(
    names.map(async (db) => {
      /** @type {WireClient | null} */
      let dc = null;
      try {
        dc = await WireClient.connect(port, host, timeoutMs);
        const lc = await dc.run(db, { listCollections: 1, nameOnly: true });
        const colls = /** @type {Doc[]} */ (/** @type {Doc} */ (lc.cursor).firstBatch ?? [])
          .map((x) => String(x.name))
          .sort();
        if (colls.length) await dc.run(db, { find: colls[0], filter: {}, limit: 1, singleBatch: true });
        dbs.set(db, null);
      } catch (err) {
        dbs.set(db, /** @type {Error} */ (err).message);
      } finally {
        dc?.close();
      }
    }),
  );
  return { server: null, dbs };
}

// ---------------------------------------------------------------------------------------------
// the watchdog

/**
 * @typedef {object} WatchdogOptions
 * @property {number} port  FerretDB's port on 127.0.0.1
 * @property {number} intervalMs  pause between two rounds of reads
 * @property {number} stallMs  a database (or the server) that has not answered a read for this long gets FerretDB restarted
 * @property {(why: string) => Promise<void>} restart  restarts FerretDB on the same port
 * @property {(msg: string) => void} log
 * @property {number} [timeoutMs]  a read not answered in this long counts as failed (default: a quarter of stallMs, 1–20 s)
 * @property {typeof probeDatabases} [probe]
 */

/**
 * Starts the watchdog. Rounds never overlap; the restart is awaited before the next round.
 * @param {WatchdogOptions} o
 * @returns {{ stop: () => Promise<void> }}
 */
function startWatchdog(o) {
  const { port, intervalMs, stallMs, restart, log, probe = probeDatabases } = o;
  // Short against the stall time, so that several failed rounds, not one slow read, make a restart.
  const timeoutMs = o.timeoutMs ?? Math.max(1000, Math.min(20_000, stallMs / 4));
  let serverOkAt = Date.now();
  /** When each database last answered (or was first seen). @type {Map<string, number>} */
  const okAt = new Map();
  let stopped = false;
  /** @type {NodeJS.Timeout | null} */
  let timer = null;
  /** @type {Promise<void>} */
  let current = Promise.resolve();

  /** @returns {string | null} why FerretDB must be restarted, or null */
  const verdict = (/** @type {ProbeResult} */ r, /** @type {number} */ now) => {
    if (r.server !== null) {
      return now - serverOkAt >= stallMs
        ? `FerretDB has not answered listDatabases for ${Math.round((now - serverOkAt) / 1000)} s (${r.server})`
        : null;
    }
    serverOkAt = now;
    for (const db of [...okAt.keys()]) if (!r.dbs.has(db)) okAt.delete(db); // dropped
    /** @type {string | null} */
    let why = null;
    for (const [db, err] of r.dbs) {
      if (err === null || !okAt.has(db)) okAt.set(db, now);
      const since = now - /** @type {number} */ (okAt.get(db));
      if (err !== null && since >= stallMs && !why)
        why = `database ${db} has not answered a read for ${Math.round(since / 1000)} s (${err})`;
    }
    return why;
  };

  const round = async () => {
    const r = await probe(port, { timeoutMs });
    if (stopped) return;
    const why = verdict(r, Date.now());
    if (!why) return;
    log(`watchdog: ${why}; restarting FerretDB on port ${port}`);
    const t0 = Date.now();
    try {
      await restart(why);
      log(`watchdog: FerretDB restarted on port ${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      log(`watchdog: restarting FerretDB failed: ${/** @type {Error} */ (err).message}; trying again next round`);
    }
    serverOkAt = Date.now();
    okAt.clear();
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      current = round()
        .catch((err) => log(`watchdog: ${/** @type {Error} */ (err).message}`))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

module.exports = { startWatchdog, probeDatabases, encodeDoc, decodeDoc };
