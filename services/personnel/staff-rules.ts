/** Rules on staff records that need no database: field checks, age, and what each viewer may see. */
import {
  EDUCATION_LEVELS,
  GENDERS,
  POLITICAL_STATUSES,
  STAFF_STATUSES,
  type StaffPublic,
  type StaffView,
} from "../../shared/contracts/personnel";
import type { FieldError } from "../../shared/errors";
import { ageBand, ageOn, isIsoDate } from "../../shared/time";
import type { StaffDoc } from "./personnel.types";

/** Mainland mobile, bare or as E.164 (+86…). Stored bare. */
const MOBILE = /^(?:\+86)?(1[3-9]\d{9})$/;

export function normalizePhone(raw: string): string | null {
  const m = MOBILE.exec(raw.replace(/[\s-]/g, ""));
  return m ? m[1] : null;
}

export interface StaffFieldsInput {
  name?: string;
  gender?: string;
  birthDate?: string;
  education?: string;
  politicalStatus?: string;
  title?: string;
  hireDate?: string;
  phone?: string | null;
  status?: string;
}

/** Checks the values the validator's types cannot: phone shape, real dates, enums, sane ages. */
export function checkStaffFields(input: StaffFieldsInput, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string): void => void errors.push({ field, message });
  if (input.name !== undefined && !/^[\u3400-\u9fff·]{2,10}$/.test(input.name.trim()))
    add("name", "姓名应为 2–10 个汉字");
  if (input.gender !== undefined && !(GENDERS as readonly string[]).includes(input.gender))
    add("gender", "性别应为 male 或 female");
  if (input.education !== undefined && !(EDUCATION_LEVELS as readonly string[]).includes(input.education))
    add("education", `学历应为 ${EDUCATION_LEVELS.join("/")}`);
  if (input.politicalStatus !== undefined && !(POLITICAL_STATUSES as readonly string[]).includes(input.politicalStatus))
    add("politicalStatus", `政治面貌应为 ${POLITICAL_STATUSES.join("/")}`);
  if (input.status !== undefined && !(STAFF_STATUSES as readonly string[]).includes(input.status))
    add("status", `状态应为 ${STAFF_STATUSES.join("/")}`);
  if (input.title !== undefined && !input.title.trim()) add("title", "职务职级不能为空");
  if (input.phone !== undefined && input.phone !== null && input.phone !== "" && !normalizePhone(input.phone))
    add("phone", "手机号应为 11 位大陆手机号（可带 +86）");
  if (input.birthDate !== undefined) {
    if (!isIsoDate(input.birthDate)) add("birthDate", "出生日期应为 YYYY-MM-DD");
    else {
      const age = ageOn(input.birthDate, today);
      if (age < 16 || age > 80) add("birthDate", "出生日期不合理（年龄应在 16–80 岁之间）");
    }
  }
  if (input.hireDate !== undefined) {
    if (!isIsoDate(input.hireDate)) add("hireDate", "入职日期应为 YYYY-MM-DD");
    else if (input.hireDate > today) add("hireDate", "入职日期不能晚于今天");
    else if (input.birthDate && isIsoDate(input.birthDate) && input.hireDate <= input.birthDate)
      add("hireDate", "入职日期应晚于出生日期");
  }
  return errors;
}

/** The record as this viewer may see it: personal fields only when `personal` is true. */
export function staffView(doc: StaffDoc, today: string, personal: boolean): StaffView {
  const age = ageOn(doc.birthDate, today);
  const pub: StaffPublic = {
    id: doc._id,
    name: doc.name,
    namePinyin: doc.namePinyin,
    nameInitials: doc.nameInitials,
    gender: doc.gender,
    education: doc.education,
    politicalStatus: doc.politicalStatus,
    title: doc.title,
    orgId: doc.orgId,
    divisionId: doc.divisionId,
    postId: doc.postId ?? null,
    hireDate: doc.hireDate,
    status: doc.status,
    ageBand: ageBand(age),
    version: doc.version,
  };
  return personal ? { ...pub, phone: doc.phone ?? null, birthDate: doc.birthDate, age } : pub;
}
