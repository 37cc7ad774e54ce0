/** How passwords are taken (the params fragment), kept (argon2id) and checked against the configured policy. */
import { config } from "../../shared/config";
import { fieldError } from "../../shared/errors";
import { checkPassword } from "./password-policy";
import type { This } from "./types";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
export const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD = "string|min:1|max:200";

export const passwordMethods = {
  policyError(this: This, password: string, field: string, username?: string): void {
    const reason = checkPassword(
      password,
      { minLength: config().passwordMinLength, requireClasses: config().passwordRequireClasses },
      username,
    );
    if (reason) throw fieldError(field, reason);
  },
};
