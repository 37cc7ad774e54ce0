/** Stored shapes of the personnel service (what `lean()` returns). */
import type {
  AttendanceStatus,
  Division,
  EducationLevel,
  Gender,
  Org,
  PoliticalStatus,
  Post,
  StaffStatus,
} from "../../shared/contracts/personnel";

export type OrgDoc = Omit<Org, "id"> & { _id: string };
export type DivisionDoc = Omit<Division, "id"> & { _id: string };
export type PostDoc = Omit<Post, "id"> & { _id: string };

export interface StaffDoc {
  _id: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  gender: Gender;
  birthDate: string;
  education: EducationLevel;
  politicalStatus: PoliticalStatus;
  title: string;
  orgId: string;
  divisionId: string;
  postId: string | null;
  phone: string | null;
  hireDate: string;
  status: StaffStatus;
  version: number;
}

/** One person's attendance for one month; `_id` is the staff id; `days` maps "01".."31" to a status. */
export interface AttendanceDoc {
  _id: string;
  staffId: string;
  orgId: string;
  divisionId: string;
  year: number;
  month: number;
  days: Record<string, AttendanceStatus>;
}
