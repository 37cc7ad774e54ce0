/** Sends a form as one command: idempotent on a repeated click, the server's field errors shown on the form. */
import { App, type FormInstance } from "antd";
import { useState } from "react";
import { ApiError } from "./api";
import { formErrors } from "./plans";

/** A command id for a mutating call: a repeated click sends the same id, so it lands once. */
export const commandId = (): string => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export function useCommand(form: FormInstance, failText: string) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  // The same id until the command succeeds, so a retry after a lost answer lands once.
  const [cmd, setCmd] = useState(commandId);

  /** Runs `send` with the command id; on success resets the form and calls `done` with the answer. */
  async function run<R>(send: (commandId: string) => Promise<R>, done: (result: R) => void): Promise<void> {
    setBusy(true);
    try {
      const result = await send(cmd);
      form.resetFields();
      setCmd(commandId());
      done(result);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(formErrors(err.fields) as never);
      message.error(err instanceof Error ? err.message : failText);
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}
