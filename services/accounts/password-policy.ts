/**
 * The password policy. MLPS 2.0 asks for complexity and periodic change; OWASP ASVS advises
 * length over composition and no forced rotation. Both are settings: the defaults follow MLPS
 * on complexity (3 of 4 classes) and ASVS on rotation (off). See README "Security".
 */

export interface PasswordPolicy {
  minLength: number;
  requireClasses: number;
}

const CLASSES: [string, RegExp][] = [
  ["小写字母", /[a-z]/],
  ["大写字母", /[A-Z]/],
  ["数字", /[0-9]/],
  ["符号", /[^A-Za-z0-9]/],
];

/** Returns the reason the password is refused, or null when it satisfies the policy. */
export function checkPassword(password: string, policy: PasswordPolicy, username?: string): string | null {
  if (password.length < policy.minLength) return `密码至少需要 ${policy.minLength} 个字符`;
  if (password.length > 128) return "密码不能超过 128 个字符";
  const present = CLASSES.filter(([, re]) => re.test(password)).length;
  if (present < policy.requireClasses)
    return `密码需包含小写字母、大写字母、数字、符号中的至少 ${policy.requireClasses} 类`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "密码不能包含用户名";
  return null;
}
