/* global console */
// Gzip size of the initial JavaScript and of what each route adds, from Vite's manifest.
// Usage: node scripts/bundle-size.mjs  (after vite build)
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const dist = path.resolve(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(fs.readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8"));
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** A chunk and every chunk it imports statically. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const k of manifest[key].imports ?? []) closure(k, seen);
  return seen;
}
const files = (keys) => [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith(".js"));
const kb = (n) => (n / 1024).toFixed(1);

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const initial = closure(entry);
const initialBytes = files(initial).reduce((s, f) => s + gz(f), 0);
const rows = [["(initial: login page)", files(initial).length, initialBytes, initialBytes]];
// After login the shell (menu, bell, socket.io) loads once; each route then adds its own chunks.
const shell = [...closure("src/layout/Shell.tsx")].filter((k) => !initial.has(k));
const shellBytes = files(shell).reduce((s, f) => s + gz(f), 0);
rows.push(["(shell after login)", files(shell).length, shellBytes, initialBytes + shellBytes]);
const base = new Set([...initial, ...shell]);
for (const key of Object.keys(manifest)
  .filter((k) => k.startsWith("src/pages/") && !k.endsWith("Login.tsx"))
  .sort()) {
  const extra = [...closure(key)].filter((k) => !base.has(k));
  const bytes = files(extra).reduce((s, f) => s + gz(f), 0);
  rows.push([
    key.replace("src/pages/", "").replace(".tsx", ""),
    files(extra).length,
    bytes,
    initialBytes + shellBytes + bytes,
  ]);
}
console.log("| route chunk | files | adds (gzip kB) | total on first visit (gzip kB) |");
console.log("|---|---:|---:|---:|");
for (const [name, n, add, total] of rows) console.log(`| ${name} | ${n} | ${kb(add)} | ${kb(total)} |`);
