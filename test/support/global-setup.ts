/** Gives this jest run an id, so teardown removes only the streams this run created. */
import { randomBytes } from "node:crypto";

export default function globalSetup(): void {
  process.env.MINGBAI_TEST_RUN = randomBytes(6).toString("hex");
}
