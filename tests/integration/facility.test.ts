import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { acceptInvitation, listMyInvitations } from "../../app/models/account/invitation.server";
import { createFacility, inviteStaff, requireFacilityMember, updateFacility } from "../../app/models/facility/facility.server";
import * as facilityRoute from "../../app/routes/facility.$facilityId";
import * as registerRoute from "../../app/routes/facility.register";
import { db } from "../../app/utils/db.server";
import { facilities, facilityMembers } from "../../db/schema";
import { createTestFacility, facilityData } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";

describe("facility registration", () => {
  it("registers a facility and makes the actor its owner; the 2016 province is kept", async () => {
    const owner = await createTestUser();
    const { id } = await createFacility({ actorId: owner.id, data: facilityData({ provinceCode: "tuyen-quang", legacyProvinceCode: "ha-giang" }) });
    const [row] = await db().select().from(facilities).where(eq(facilities.id, id));
    expect(row.legacyProvinceCode).toBe("ha-giang");
    const [m] = await db().select().from(facilityMembers).where(eq(facilityMembers.facilityId, id));
    expect(m).toMatchObject({ userId: owner.id, role: "owner" });
  });

  it("refuses a registration number already used (any letter case) with a clear message", async () => {
    const a = await createTestUser();
    const b = await createTestUser();
    await createFacility({ actorId: a.id, data: facilityData({ registrationNo: "0101234567-ab" }) });
    await expect(createFacility({ actorId: b.id, data: facilityData({ registrationNo: "0101234567-AB" }) })).rejects.toMatchObject({
      status: 400,
      fields: { registrationNo: expect.stringContaining("đã được một cơ sở khác đăng ký") },
    });
    expect(await db().select().from(facilityMembers).where(eq(facilityMembers.userId, b.id))).toHaveLength(0);
  });

  it("refuses empty and over-long fields with Vietnamese messages", async () => {
    const owner = await createTestUser();
    const error = await createFacility({ actorId: owner.id, data: facilityData({ name: "   ", address: "x".repeat(301), legalForm: "llc", provinceCode: "" }) }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.fields).toMatchObject({
      name: "Vui lòng nhập tên cơ sở.",
      address: "Địa chỉ dài quá 300 ký tự.",
      legalForm: "Vui lòng chọn loại hình cơ sở.",
      provinceCode: "Vui lòng chọn tỉnh/thành phố.",
    });
  });

  it("refuses a 2016 province that did not become the chosen unit", async () => {
    const owner = await createTestUser();
    await expect(createFacility({ actorId: owner.id, data: facilityData({ provinceCode: "ha-noi", legacyProvinceCode: "ca-mau" }) })).rejects.toMatchObject({
      fields: { legacyProvinceCode: "Tỉnh cũ đã chọn không thuộc Hà Nội hiện nay." },
    });
  });

  it("stores script tags and SQL fragments as text", async () => {
    const owner = await createTestUser();
    const nasty = `<script>alert(1)</script>'; DROP TABLE facilities; --`;
    const { id } = await createFacility({ actorId: owner.id, data: facilityData({ name: nasty, representative: nasty }) });
    const [row] = await db().select().from(facilities).where(eq(facilities.id, id));
    expect(row.name).toBe(nasty);
  });
});

describe("members and scope", () => {
  it("another user's facility is not found (404), not forbidden", async () => {
    const owner = await createTestUser();
    const { id } = await createTestFacility(owner.id);
    const other = await createTestUser();
    await expect(requireFacilityMember({ userId: other.id, facilityId: id })).rejects.toMatchObject({ status: 404 });
    await expect(updateFacility({ actorId: other.id, facilityId: id, data: facilityData() })).rejects.toMatchObject({ status: 404 });
    const res = await call(facilityRoute.loader, requestAs(other, `/facility/${id}`), { facilityId: String(id) });
    expect(res.status).toBe(404);
  });

  it("invites staff: nothing is granted until the invited, verified address accepts; staff may not edit", async () => {
    const owner = await createTestUser();
    const { id } = await createTestFacility(owner.id);
    const existing = await createTestUser();
    await inviteStaff({ actorId: owner.id, facilityId: id, email: existing.email.toUpperCase() });
    // Not a member by being invited (issue 13 §3).
    await expect(requireFacilityMember({ userId: existing.id, facilityId: id })).rejects.toMatchObject({ status: 404 });
    const [invite] = await listMyInvitations({ userId: existing.id });
    await acceptInvitation({ userId: existing.id, invitationId: invite.id });
    const member = await requireFacilityMember({ userId: existing.id, facilityId: id });
    expect(member.memberRole).toBe("staff");
    await expect(updateFacility({ actorId: existing.id, facilityId: id, data: facilityData() })).rejects.toMatchObject({ status: 403 });
    await expect(inviteStaff({ actorId: existing.id, facilityId: id, email: "x@example.vn" })).rejects.toMatchObject({ status: 403 });

    await inviteStaff({ actorId: owner.id, facilityId: id, email: "moi@example.vn" });
    const newcomer = await createTestUser({ email: "moi@example.vn" });
    await expect(requireFacilityMember({ userId: newcomer.id, facilityId: id })).rejects.toMatchObject({ status: 404 });
    const [second] = await listMyInvitations({ userId: newcomer.id });
    await acceptInvitation({ userId: newcomer.id, invitationId: second.id });
    expect((await requireFacilityMember({ userId: newcomer.id, facilityId: id })).memberRole).toBe("staff");
    await expect(inviteStaff({ actorId: owner.id, facilityId: id, email: "khong-phai-email" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("facility routes", () => {
  it("refuse anonymous (302) and other roles (403)", async () => {
    expect((await call(registerRoute.loader, requestAs(null, "/facility/register"))).status).toBe(302);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await call(registerRoute.loader, requestAs(juror, "/facility/register"))).status).toBe(403);
    expect((await call(registerRoute.action, requestAs(juror, "/facility/register", { form: facilityData() }))).status).toBe(403);
    expect((await call(facilityRoute.loader, requestAs(juror, "/facility/1"), { facilityId: "1" })).status).toBe(403);
    expect((await call(facilityRoute.action, requestAs(null, "/facility/1", { form: { intent: "update" } }), { facilityId: "1" })).status).toBe(302);
  });

  it("registers through the form, then shows the duplicate number as a field error", async () => {
    const owner = await createTestUser();
    const data = facilityData();
    const res = await call(registerRoute.action, requestAs(owner, "/facility/register", { form: data }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/facility\/\d+$/);
    const again = await call(registerRoute.action, requestAs(owner, "/facility/register", { form: data }));
    expect(again.status).toBe(400);
    expect((await jsonOf(again)).fields.registrationNo).toContain("đã được một cơ sở khác đăng ký");
  });

  it("creates a product from the facility page", async () => {
    const owner = await createTestUser();
    const { id } = await createTestFacility(owner.id);
    const res = await call(facilityRoute.action, requestAs(owner, `/facility/${id}`, { form: { intent: "createProduct", name: "Chè Tân Cương", groupNo: "2", description: "Chè búp" } }), { facilityId: String(id) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/facility\/products\/\d+$/);
    const bad = await call(facilityRoute.action, requestAs(owner, `/facility/${id}`, { form: { intent: "createProduct", name: "", groupNo: "7", description: "" } }), { facilityId: String(id) });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).fields).toMatchObject({ name: "Vui lòng nhập tên sản phẩm.", groupNo: "Vui lòng chọn nhóm sản phẩm (1–4)." });
  });
});
