import { checkPassword } from "../../../services/accounts/password-policy";

const policy = { minLength: 8, requireClasses: 3 };

describe("password policy", () => {
  test.each([
    ["Ab#1", "至少需要 8"],
    ["abcdefgh", "至少 3 类"],
    ["abcdefg1", "至少 3 类"],
    ["Zhangsan#2026", "用户名"],
    ["x".repeat(129), "128"],
  ])("when the password is %j, then it is refused with a reason mentioning %s", (pw, reason) => {
    expect(checkPassword(pw, policy, "zhangsan")).toContain(reason);
  });

  test("when a password has length and three classes, then it is accepted", () => {
    expect(checkPassword("Mingbai2026", policy)).toBeNull();
    expect(checkPassword("mingbai#2026", policy)).toBeNull();
  });

  test("when the policy asks for one class only (ASVS style), then a long lowercase passphrase passes", () => {
    expect(checkPassword("correct horse battery staple", { minLength: 12, requireClasses: 1 })).toBeNull();
  });
});
