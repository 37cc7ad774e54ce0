/**
 * Staff of the city and two counties at their desks (staff, offices, a division head, administrators),
 * created in personnel for the info and notices integration tests.
 */
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser, Role } from "../../shared/auth";
import type { Clock } from "../../shared/clock";
import type { StaffView } from "../../shared/contracts/personnel";
import { SYSTEM } from "./broker";

export type Who =
  | "cityStaff"
  | "cityOffice"
  | "cityHead"
  | "zbStaff"
  | "zbOffice"
  | "zbAdmin"
  | "zbHr"
  | "kbOffice"
  | "kbStaff"
  | "hr"
  | "admin";
export const placement: Record<Who, [string, string, Role[]]> = {
  cityStaff: ["city", "city-budget", ["staff"]],
  cityOffice: ["city", "city-office", ["staff"]],
  cityHead: ["city", "city-budget", ["division_head"]],
  zbStaff: ["zhangbei", "zhangbei-budget", ["staff"]],
  zbOffice: ["zhangbei", "zhangbei-office", ["staff"]],
  zbAdmin: ["zhangbei", "zhangbei-general", ["county_admin"]],
  zbHr: ["zhangbei", "zhangbei-hr", ["hr_admin"]],
  kbOffice: ["kangbao", "kangbao-office", ["staff"]],
  kbStaff: ["kangbao", "kangbao-budget", ["staff"]],
  hr: ["city", "city-hr", ["hr_admin"]],
  admin: ["city", "city-it", ["sys_admin"]],
};
export const NAMES: Record<Who, string> = {
  cityStaff: "市局科员",
  cityOffice: "市局办公",
  cityHead: "预算处长",
  zbStaff: "张北科员",
  zbOffice: "张北办公",
  zbAdmin: "张北管理",
  zbHr: "张北人事",
  kbOffice: "康保办公",
  kbStaff: "康保科员",
  hr: "人教管理",
  admin: "系统管理",
};

/** Creates everyone in personnel (through `broker`) into `staff`. */
export async function createStaff(broker: ServiceBroker, staff: Record<Who, StaffView>): Promise<void> {
  for (const w of Object.keys(placement) as Who[]) {
    const [orgId, divisionId] = placement[w];
    staff[w] = await broker.call(
      "personnel.staff.create",
      {
        orgId,
        divisionId,
        name: NAMES[w],
        gender: "female",
        birthDate: "1988-05-01",
        education: "本科",
        politicalStatus: "中共党员",
        title: "科员",
        hireDate: "2012-07-01",
      },
      SYSTEM,
    );
  }
}

/** The signed-in user of a staff member created here. */
export const userOf = (s: StaffView, w: Who): AuthUser => ({
  accountId: `acc-${s.id}`,
  sessionId: `sess-${s.id}`,
  staffId: s.id,
  name: s.name,
  orgId: s.orgId,
  divisionId: s.divisionId,
  roles: placement[w][2],
});

/** A service schema whose "now" is the test's clock. */
export const withClock = (s: ServiceSchema, clock: Clock): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() } } }) as ServiceSchema;
