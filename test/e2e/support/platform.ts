/**
 * A Moleculer node on the platform's NATS, for set-up the browser cannot do: running internal actions
 * such as the reminder tick. Uses the namespace the launcher gives the browser-test platform ("e2e").
 */
import { ServiceBroker } from "moleculer";
import type { TickResult } from "../../../shared/contracts/reminders";
import { systemProof } from "../../../shared/service-identity";
import { localDay } from "./dates";

export async function withPlatform<T>(fn: (broker: ServiceBroker) => Promise<T>): Promise<T> {
  const broker = new ServiceBroker({
    namespace: process.env.MINGBAI_E2E_NAMESPACE ?? "e2e",
    nodeID: `e2e-test-${process.pid}`,
    transporter: { type: "NATS", options: { url: process.env.NATS_URL ?? "nats://127.0.0.1:4222" } },
    serializer: "JSONExt",
    logger: false,
    requestTimeout: 120_000,
  });
  await broker.start();
  try {
    await broker.waitForServices(["reminders"], 60_000);
    return await fn(broker);
  } finally {
    await broker.stop();
  }
}

/**
 * Runs the reminder policies as at 10:mm on the latest working day (outside quiet hours), so the SMS
 * log has this demo's overdue reminders. A run that fails part-way (a slow call on a busy machine)
 * may still have stored messages, so after each attempt `enough()` decides whether to stop.
 */
export async function runReminderTick(enough: () => Promise<boolean>): Promise<void> {
  await withPlatform(async (broker) => {
    const minute = String(new Date().getUTCMinutes()).padStart(2, "0");
    const errors: string[] = [];
    for (let back = 0; back < 10; back++) {
      const at = new Date(`${localDay(back)}T10:${minute}:00+08:00`).toISOString();
      try {
        const r = await broker.call<TickResult, { at: string }>(
          "reminders.tick",
          { at },
          {
            meta: { system: true, $systemProof: systemProof("reminders.tick") },
          },
        );
        if (r.ran && r.allowed) return;
      } catch (err) {
        errors.push(`${at}: ${(err as Error).message}`);
      }
      if (await enough()) return;
    }
    throw new Error(`the reminder tick did not produce messages: ${errors.join("; ")}`);
  });
}
