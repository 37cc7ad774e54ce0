/**
 * Removes the JetStream streams this run's test namespaces created, so a long-lived NATS server
 * (a developer's, or a shared CI one) does not collect them run after run. Other runs' streams
 * are left alone.
 */
import fs from "node:fs";
import { connect } from "nats";
import { natsConnectOptions } from "../../shared/nats-url";
import { namespacesFile } from "./broker";

export default async function globalTeardown(): Promise<void> {
  const file = namespacesFile();
  if (!fs.existsSync(file)) return;
  const namespaces = new Set(fs.readFileSync(file, "utf8").split("\n").filter(Boolean));
  fs.rmSync(file);
  const nc = await connect(natsConnectOptions(process.env.NATS_URL ?? "nats://127.0.0.1:4222"));
  try {
    const jsm = await nc.jetstreamManager();
    for await (const s of jsm.streams.list()) {
      if (namespaces.has(s.config.name.split("_")[0])) await jsm.streams.delete(s.config.name);
    }
  } finally {
    await nc.close();
  }
}
