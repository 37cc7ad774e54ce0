/** Accounts and sessions: what login, refresh and the admin actions take and give. */
import type { AuthUser, Role } from "../auth";

export interface LoginParams {
  /** Username or mobile phone number */
  username: string;
  password: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds */
  accessExpiresAt: number;
}

export interface LoginResult extends TokenPair {
  user: AuthUser;
  mustChangePassword: boolean;
}

export interface AccountView {
  id: string;
  username: string;
  staffId: string | null;
  name: string;
  orgId: string;
  divisionId: string | null;
  roles: Role[];
  disabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
}

/** The demo logins printed at start-up, one per role. */
export const DEMO_PASSWORD = "Mingbai@2026";
export const DEMO_USERNAMES: Record<Role, string> = {
  sys_admin: "admin",
  hr_admin: "hr",
  leader: "leader",
  division_head: "head",
  county_admin: "county",
  staff: "staff",
};
