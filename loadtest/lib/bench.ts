/**
 * What the benchmark drivers share (loadtest/run.ts, loadtest/pages-bench.ts): an HTTP client for a
 * platform on 127.0.0.1, closed-loop load phases and sequential timings with their percentiles, the
 * machine's facts, and a synchronous curl shim that runs a k6 script's iteration once here (no k6
 * binary on this machine). Node 24 runs it by stripping types.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import os from "node:os";

export interface Stats {
  name: string;
  n: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes
export type Json = any;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** Milliseconds to 0.1 (a call through the gateway can take 1–2 ms: whole milliseconds would blur the split). */
const ms1 = (x: number): number => Math.round(x * 10) / 10;

export const summarize = (name: string, lat: number[], errors: number, ms: number): Stats => ({
  name,
  n: lat.length,
  errors,
  rps: ms1((lat.length / ms) * 1000),
  p50: ms1(pct(lat, 50)),
  p95: ms1(pct(lat, 95)),
  p99: ms1(pct(lat, 99)),
  max: ms1(Math.max(...lat)),
});

export type Req = (
  method: string,
  url: string,
  token?: string,
  body?: unknown,
) => Promise<{ status: number; json: Json }>;

/** A client for the platform at `base` (only 127.0.0.1 is accepted); slower requests than `timeoutMs` fail. */
export function client(base: string, timeoutMs: number): Req {
  if (new URL(base).hostname !== "127.0.0.1") throw new Error("BASE must be on 127.0.0.1");
  return async (method, url, token, body) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    try {
      return { status: r.status, json: JSON.parse(text) as Json };
    } catch {
      return { status: r.status, json: text };
    }
  };
}

/** Closed loop: `workers` loops for `ms`, each awaiting one request at a time; `false` or a throw is an error. */
export async function load(
  name: string,
  workers: number,
  ms: number,
  one: (i: number) => Promise<boolean>,
): Promise<Stats> {
  const lat: number[] = [];
  let errors = 0;
  let i = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const ok = await one(i++).catch(() => false);
        lat.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  return summarize(name, lat, errors, performance.now() - start);
}

/**
 * Open loop, as k6's constant-arrival-rate executor: a request starts every 1/`perSecond` s for `ms`,
 * whether or not the earlier ones have answered, at most `maxInFlight` at once (k6's VUs); an arrival
 * that finds them all busy is dropped and counted as an error. Latency is from each request's start.
 */
export async function rate(
  name: string,
  perSecond: number,
  ms: number,
  maxInFlight: number,
  one: (i: number) => Promise<boolean>,
): Promise<Stats & { dropped: number }> {
  const lat: number[] = [];
  const running = new Set<Promise<void>>();
  let errors = 0;
  let dropped = 0;
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / perSecond;
    if (due >= start + ms) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (running.size >= maxInFlight) {
      dropped++;
      continue;
    }
    const t = performance.now();
    const p: Promise<void> = one(i)
      .catch(() => false)
      .then((ok) => {
        lat.push(performance.now() - t);
        if (!ok) errors++;
        running.delete(p);
      });
    running.add(p);
  }
  await Promise.all(running);
  return { ...summarize(name, lat, errors + dropped, performance.now() - start), dropped };
}

/** `n` calls one after the other; `ok` says which results are errors (none by default). */
export async function timeN<T>(
  name: string,
  n: number,
  one: (k: number) => Promise<T>,
  ok: (r: T) => boolean = () => true,
): Promise<Stats> {
  const lat: number[] = [];
  let errors = 0;
  const start = performance.now();
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    const r = await one(k);
    lat.push(performance.now() - t);
    if (!ok(r)) errors++;
  }
  return summarize(name, lat, errors, performance.now() - start);
}

export const loadavg = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** The machine's facts printed at the start of a run. */
export const machine = (): { date: string; nproc: number; memGiB: number; loadavgBefore: string } => ({
  date: new Date().toISOString(),
  nproc: os.cpus().length,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  loadavgBefore: loadavg(),
});

/** A k6 response as the scripts use it; `json(selector)` reads a dotted path like k6's. */
export interface K6Response {
  status: number;
  body: string;
  json: (sel?: string) => Json;
}

/** One synchronous HTTP call through curl, answering like k6's `http` module. */
export function curl(
  method: string,
  url: string,
  body: string | null,
  params?: { headers?: Record<string, string> },
): K6Response {
  const args = ["-s", "-X", method, "-o", "-", "-w", "\n%{http_code}", url];
  for (const [k, v] of Object.entries(params?.headers ?? {})) args.push("-H", `${k}: ${v}`);
  if (body) args.push("--data-binary", body);
  const raw = execFileSync("curl", args, { encoding: "utf8" });
  const i = raw.lastIndexOf("\n");
  const text = raw.slice(0, i);
  const json = (sel?: string): Json =>
    (sel ?? "")
      .split(".")
      .filter(Boolean)
      .reduce((o: Json, k) => o?.[k], JSON.parse(text) as Json);
  return { status: Number(raw.slice(i + 1)), body: text, json };
}

/** k6's `check`, recording each named check's outcome in `log`. */
export const checker =
  (log: string[]) =>
  (r: unknown, cs: Record<string, (x: Json) => boolean>): boolean =>
    Object.entries(cs).every(([n, f]) => {
      const ok = f(r);
      log.push(`${n}: ${ok ? "ok" : "FAILED"}`);
      return ok;
    });

/**
 * A k6 script made runnable here: imports dropped, `setup` and the default function renamed, then
 * compiled as a function of the names it expects (`http`, `check`, `__ENV`, ...) that returns `{ main }`.
 */
export function k6Script(file: string, globals: string[]): (...values: unknown[]) => { main: (data: object) => void } {
  const js = stripTypeScriptTypes(readFileSync(file, "utf8"))
    .replace(/^import .*$/gm, "")
    .replace(/export const options/, "const options")
    .replace(/export function setup/, "function setup")
    .replace(/export default function/, "function main");
  return new Function(...globals, `${js}\n;return { main, options };`) as (...values: unknown[]) => {
    main: (data: object) => void;
  };
}
