/**
 * Facilities (cơ sở CNNT) and their members. Every read of a facility's rows carries the member's
 * id: a facility the user is not a member of is "not found" (404), never "forbidden".
 */
import { and, asc, eq } from "drizzle-orm";

import { facilities, facilityMembers, provinces, provinces2025, users } from "../../../db/schema";
import { FacilitySchema, type FacilityInput } from "../../schemas/facility";
import { type Database, db, isDbId, pgConstraint, pgErrorCode } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { parseOrThrow } from "../../utils/forms";
import { sortByName } from "../../utils/vi-text";
import { inviteByEmail, listSentInvitations } from "../account/invitation.server";
import { recordAudit } from "../shared/audit.server";

const DUPLICATE_REGISTRATION = "Số đăng ký kinh doanh / mã số thuế này đã được một cơ sở khác đăng ký trên hệ thống.";

function parseFacility(data: unknown): FacilityInput {
  return parseOrThrow(FacilitySchema, data);
}

/** The 34 current units must exist; a 2016 province must be one that became the chosen unit. */
async function checkProvinces(input: FacilityInput, tx: Database) {
  const [current] = await tx.select().from(provinces2025).where(eq(provinces2025.code, input.provinceCode));
  if (!current) throw new AppError(400, "Tỉnh/thành phố không hợp lệ.", { provinceCode: "Vui lòng chọn tỉnh/thành phố trong danh sách." });
  if (input.legacyProvinceCode) {
    const [old] = await tx.select().from(provinces).where(eq(provinces.code, input.legacyProvinceCode));
    if (!old || old.currentCode !== current.code) {
      const message = `Tỉnh cũ đã chọn không thuộc ${current.name} hiện nay.`;
      throw new AppError(400, message, { legacyProvinceCode: message });
    }
  }
}

function duplicateRegistration(error: unknown): boolean {
  return pgErrorCode(error) === "23505" && (pgConstraint(error) ?? "facilities_registration_no_idx") === "facilities_registration_no_idx";
}

/**
 * Registers a facility; the actor becomes its owner.
 * @throws AppError 400 (fields) for invalid data or a registration number already used.
 */
export async function createFacility(input: { actorId: string; data: unknown }, tx: Database = db()): Promise<{ id: number }> {
  const data = parseFacility(input.data);
  try {
    return await tx.transaction(async (t) => {
      await checkProvinces(data, t);
      const [row] = await t
        .insert(facilities)
        .values({ ...data, createdBy: input.actorId })
        .returning({ id: facilities.id });
      await t.insert(facilityMembers).values({ facilityId: row.id, userId: input.actorId, role: "owner" });
      await recordAudit({ actorId: input.actorId, action: "facility.create", entity: "facility", entityId: row.id, after: data }, t);
      return { id: row.id };
    });
  } catch (error) {
    if (duplicateRegistration(error)) throw new AppError(400, DUPLICATE_REGISTRATION, { registrationNo: DUPLICATE_REGISTRATION });
    throw error;
  }
}

/**
 * The facility as seen by one of its members, with the member's role.
 * @throws AppError 404 when the user is not a member (or the facility does not exist).
 */
export async function requireFacilityMember(input: { userId: string; facilityId: number }, tx: Database = db()) {
  if (!isDbId(input.facilityId)) throw notFound("Không tìm thấy cơ sở.");
  const [row] = await tx
    .select({ facility: facilities, role: facilityMembers.role })
    .from(facilities)
    .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, facilities.id), eq(facilityMembers.userId, input.userId)))
    .where(eq(facilities.id, input.facilityId));
  if (!row) throw notFound("Không tìm thấy cơ sở.");
  return { ...row.facility, memberRole: row.role };
}

/**
 * Edits a facility (owner only; staff may read).
 * @throws AppError 404 outside the user's facilities, 403 for staff, 400 for invalid data.
 */
export async function updateFacility(input: { actorId: string; facilityId: number; data: unknown }, tx: Database = db()) {
  const data = parseFacility(input.data);
  try {
    await tx.transaction(async (t) => {
      const before = await requireFacilityMember({ userId: input.actorId, facilityId: input.facilityId }, t);
      if (before.memberRole !== "owner") throw new AppError(403, "Chỉ chủ cơ sở được sửa thông tin cơ sở.");
      await checkProvinces(data, t);
      await t.update(facilities).set({ ...data, updatedAt: new Date() }).where(eq(facilities.id, input.facilityId));
      await recordAudit(
        { actorId: input.actorId, action: "facility.update", entity: "facility", entityId: input.facilityId, before, after: data },
        t,
      );
    });
  } catch (error) {
    if (duplicateRegistration(error)) throw new AppError(400, DUPLICATE_REGISTRATION, { registrationNo: DUPLICATE_REGISTRATION });
    throw error;
  }
}

/**
 * Invites a staff member by e-mail. Nothing is granted until the invitee accepts while signed in
 * with that verified address (invitation.server.ts); the answer is the same whoever the address is.
 * @throws AppError 404 outside the user's facilities, 403 for staff, 400 for an invalid e-mail.
 */
export async function inviteStaff(input: { actorId: string; facilityId: number; email: string }, tx: Database = db()) {
  await inviteByEmail({ actorId: input.actorId, email: input.email, target: { kind: "facility", facilityId: input.facilityId } }, tx);
}

/** The facilities the user belongs to, with the province names of both eras. */
export async function listMyFacilities(input: { userId: string }, tx: Database = db()) {
  return tx
    .select({
      id: facilities.id,
      name: facilities.name,
      legalForm: facilities.legalForm,
      registrationNo: facilities.registrationNo,
      provinceName: provinces2025.name,
      legacyProvinceName: provinces.name,
      address: facilities.address,
      memberRole: facilityMembers.role,
    })
    .from(facilities)
    .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, facilities.id), eq(facilityMembers.userId, input.userId)))
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .orderBy(asc(facilities.id));
}

export async function listMembers(input: { userId: string; facilityId: number }, tx: Database = db()) {
  await requireFacilityMember(input, tx);
  const members = await tx
    .select({ userId: users.id, email: users.email, fullName: users.fullName, role: facilityMembers.role })
    .from(facilityMembers)
    .innerJoin(users, eq(users.id, facilityMembers.userId))
    .where(eq(facilityMembers.facilityId, input.facilityId))
    .orderBy(asc(facilityMembers.createdAt));
  const pending = await listSentInvitations({ kind: "facility", facilityId: input.facilityId }, tx);
  return { members, pending: pending.map((i) => ({ id: i.id, email: i.email, expiresAt: i.expiresAt })) };
}

/** Province options for the facility form: the 34 units, and the 2016 provinces grouped under them. */
export async function provinceOptions(tx: Database = db()) {
  const current = await tx.select().from(provinces2025).orderBy(asc(provinces2025.name));
  const old = await tx.select().from(provinces).orderBy(asc(provinces.name));
  return {
    current: sortByName(current.map((p) => ({ code: p.code, name: p.name }))),
    legacy: sortByName(old.map((p) => ({ code: p.code, name: p.name, currentCode: p.currentCode }))),
  };
}
