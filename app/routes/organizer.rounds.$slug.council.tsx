import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { AssignmentTable } from "~/components/council/AssignmentTable";
import { Field } from "~/components/FormField";
import { RoundNav } from "~/components/RoundNav";
import { inviteByEmail, listSentInvitations, revokeInvitation } from "~/models/account/invitation.server";
import {
  listConflicts,
  listCouncil,
  removeCouncilMember,
  setSameProvinceRule,
  updateCouncilMember,
} from "~/models/council/council.server";
import { COUNCIL_ROLES } from "~/models/council/rules";
import { STATUS_NAMES } from "~/models/round/rules";
import { canAssign, canEditCouncil } from "~/models/round/rules";
import { assignJuror, assignmentOverview, autoAssign, unassignJuror } from "~/models/scoring/assignment.server";
import { listProvinces2016 } from "~/models/shared/reference.server";
import { CONFIRM } from "~/utils/confirm";
import { formatDate } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { confirmationStep, formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage, toastDetails } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Hội đồng và phân công — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "council:manage");
  const [council, conflicts, overview, provinces, invites] = await Promise.all([
    listCouncil(round.id),
    listConflicts(round.id),
    assignmentOverview(round.id),
    listProvinces2016(),
    listSentInvitations({ kind: "council", roundId: round.id }),
  ]);
  return json({
    round: {
      slug: round.slug,
      title: round.title,
      statusName: STATUS_NAMES[round.status],
      sameProvince: round.conflictSameProvince,
      jurorsPerEntry: round.jurorsPerEntry,
    },
    council,
    conflicts,
    overview,
    provinces: provinces.map((p) => ({ code: p.code, name: p.name })),
    invites: invites.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.councilRole,
      groups: i.groupNos.join(", "),
      expires: formatDate(i.expiresAt),
    })),
    invited: new URL(request.url).searchParams.get("moi") === "ok",
    // The labels travel in the data: a component gets nothing from a .server module.
    councilRoles: COUNCIL_ROLES,
    canEditCouncil: canEditCouncil(round),
    canAssign: canAssign(round),
  });
}

/** Editing a member already on the council (picked from the list: no address is looked up). */
const MemberSchema = z.object({
  userId: z.string().trim().min(1, "Chọn thành viên hội đồng."),
  role: z.enum(["chair", "member", "secretary"], { error: "Chọn vai trò trong hội đồng." }),
  groupNos: z.array(z.coerce.number().int().min(1).max(4)).default([]),
  provinceCode: z.string().trim().optional(),
});
const PairSchema = z.object({ entryId: z.coerce.number().int().positive(), jurorId: z.string().min(1, "Chọn giám khảo.") });
const KSchema = z.object({
  k: z
    .string()
    .trim()
    .optional()
    .refine((s) => !s || (/^\d+$/.test(s) && Number(s) > 0), "Số giám khảo phải là số nguyên dương."),
});

const InviteSchema = z.object({
  email: z.string().trim().min(3, "Nhập email người được mời.").max(254, "Email dài quá 254 ký tự."),
  role: z.enum(["chair", "member", "secretary"], { error: "Chọn vai trò trong hội đồng." }),
  groupNos: z.array(z.coerce.number().int().min(1).max(4)).default([]),
  provinceCode: z.string().trim().optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "council:manage");
  const formData = await readForm(request);
  const form = formObject(formData, ["groupNos"]);
  const done = (message: string) => redirectWithToast(samePage(request), { message });
  return withFormErrors(async () => {
    switch (form.intent) {
      // Members join only by invitation: the answer is the same whatever the address (an account or
      // not, a juror or not), so this page never tells whether an address has an account.
      case "invite-member": {
        const parsed = parseForm(InviteSchema, form, "Vui lòng kiểm tra thông tin lời mời.");
        if (!parsed.ok) return invalid(parsed);
        const { email, role, groupNos, provinceCode } = parsed.data;
        await inviteByEmail({
          actorId: user.id,
          email,
          target: { kind: "council", roundId: round.id, councilRole: role, groupNos, provinceCode },
        });
        return done(
          "Đã gửi lời mời qua email. Người được mời chỉ vào hội đồng khi đăng nhập bằng đúng địa chỉ đó và nhận lời (trong 7 ngày).",
        );
      }
      case "update-member": {
        const parsed = parseForm(MemberSchema, form, "Vui lòng kiểm tra thông tin thành viên.");
        if (!parsed.ok) return invalid(parsed);
        await updateCouncilMember({ roundId: round.id, actorId: user.id, ...parsed.data });
        return done("Đã lưu thành viên hội đồng.");
      }
      case "revoke-invite": {
        await revokeInvitation({ actorId: user.id, invitationId: Number(form.invitationId), kind: "council", roundId: round.id });
        return done("Đã thu hồi lời mời.");
      }
      case "remove-member": {
        const step = confirmationStep(formData, CONFIRM.removeMember);
        if (step) return step;
        await removeCouncilMember({ roundId: round.id, actorId: user.id, userId: String(form.userId ?? "") });
        return done("Đã rút thành viên khỏi hội đồng.");
      }
      case "same-province": {
        const r = await setSameProvinceRule({ roundId: round.id, actorId: user.id, enabled: form.enabled === "1" });
        return done(`Đã cập nhật quy tắc xung đột cùng tỉnh (bỏ ${r.droppedAssignments} lượt phân công bị xung đột).`);
      }
      case "auto-assign": {
        const parsed = parseForm(KSchema, form, "Số giám khảo phải là số nguyên dương.");
        if (!parsed.ok) return invalid(parsed);
        const plan = await autoAssign({
          roundId: round.id,
          actorId: user.id,
          k: parsed.data.k ? Number(parsed.data.k) : round.jurorsPerEntry,
        });
        const short = plan.impossible.map((i) => `${i.code ?? `#${i.entryId}`}: ${i.reason}`);
        return redirectWithToast(samePage(request), {
          kind: short.length ? "error" : "ok",
          message: `Đã phân công ${plan.assignments.length} lượt chấm.${short.length ? ` ${short.length} hồ sơ chưa đủ giám khảo:` : ""}`,
          details: toastDetails(short),
        });
      }
      case "assign":
      case "unassign": {
        const parsed = parseForm(PairSchema, form, "Chọn hồ sơ và giám khảo.");
        if (!parsed.ok) return invalid(parsed);
        if (form.intent === "assign") await assignJuror({ roundId: round.id, actorId: user.id, ...parsed.data });
        else await unassignJuror({ roundId: round.id, actorId: user.id, ...parsed.data });
        return done(form.intent === "assign" ? "Đã phân công giám khảo." : "Đã bỏ phân công.");
      }
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function CouncilPage() {
  const { round, council, conflicts, overview, provinces, invites, invited, councilRoles, canEditCouncil, canAssign } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      <section className="card" aria-labelledby="council">
        <h2 id="council">Ban giám khảo ({council.length} thành viên)</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Họ tên</th>
                <th scope="col">Vai trò</th>
                <th scope="col">Nhóm sản phẩm chấm</th>
                <th scope="col">Phân công</th>
                <th scope="col">
                  <span className="visually-hidden">Thao tác</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {council.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {m.fullName}
                    <br />
                    <span className="hint">{m.title ?? m.email}</span>
                  </td>
                  <td>{councilRoles[m.role]}</td>
                  <td>{m.groupNos.length ? m.groupNos.join(", ") : "Tất cả"}</td>
                  <td className="num">{overview.load[m.userId] ?? 0}</td>
                  <td>
                    {canEditCouncil ? (
                      <ConfirmForm method="post" confirm={CONFIRM.removeMember}>
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <button className="btn secondary small" type="submit" aria-label={`Rút khỏi hội đồng: ${m.fullName}`}>
                          Rút khỏi hội đồng
                        </button>
                      </ConfirmForm>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {invited ? (
          <div className="alert ok" role="status">
            Đã gửi lời mời qua email. Người được mời vào hội đồng khi đăng nhập bằng đúng địa chỉ đó và nhận lời (trong 7 ngày).
          </div>
        ) : null}
        {invites.length ? (
          <ul>
            {invites.map((i) => (
              <li key={i.id} className="muted">
                {i.email} — {councilRoles[i.role as keyof typeof councilRoles]}, đã mời, chờ nhận lời (hết hạn {i.expires})
                {i.groups ? `, nhóm ${i.groups}` : ""}{" "}
                {canEditCouncil ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="revoke-invite" />
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="btn secondary small">
                      Thu hồi
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {canEditCouncil ? (
          <Form method="post" className="stack" style={{ marginTop: "1rem" }}>
            <h3>Mời thành viên qua email</h3>
            <input type="hidden" name="intent" value="invite-member" />
            {/* Own ids: the edit form below uses the same field names. */}
            <div>
              <label htmlFor="invite-email">Email người được mời *</label>
              <input id="invite-email" name="email" type="email" required autoComplete="off" />
            </div>
            <div>
              <label htmlFor="invite-role">Vai trò trong hội đồng</label>
              <select id="invite-role" name="role" defaultValue="member">
                {Object.entries(councilRoles).map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>Nhóm sản phẩm chấm (bỏ trống: tất cả)</legend>
              {[1, 2, 3, 4].map((g) => (
                <label key={g} style={{ marginRight: "1rem" }}>
                  <input type="checkbox" name="groupNos" value={g} /> Nhóm {g}
                </label>
              ))}
            </fieldset>
            <div>
              <label htmlFor="invite-province">Tỉnh của cơ quan công tác (cho quy tắc xung đột cùng tỉnh)</label>
              <select id="invite-province" name="provinceCode" defaultValue="">
                <option value="">—</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <p className="hint">
              Ai cũng chỉ được vào hội đồng qua lời mời: người được mời đăng nhập (hoặc đăng ký) bằng đúng địa chỉ này, xác nhận
              email rồi nhận lời.
            </p>
            <div>
              <button className="btn" type="submit">
                Gửi lời mời
              </button>
            </div>
          </Form>
        ) : null}
        {canEditCouncil && council.length ? (
          <Form method="post" className="stack" style={{ marginTop: "1rem" }}>
            <h3>Sửa vai trò, nhóm chấm của thành viên</h3>
            <input type="hidden" name="intent" value="update-member" />
            <Field name="userId" label="Thành viên" error={fields.userId}>
              <select id="f-userId" name="userId" required defaultValue="">
                <option value="" disabled>
                  — Chọn thành viên —
                </option>
                {council.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.fullName}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="role" label="Vai trò" error={fields.role}>
              <select id="f-role" name="role" defaultValue="member">
                {Object.entries(councilRoles).map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
            <fieldset>
              <legend>Nhóm sản phẩm chấm (bỏ trống: tất cả)</legend>
              {[1, 2, 3, 4].map((g) => (
                <label key={g} style={{ marginRight: "1rem" }}>
                  <input type="checkbox" name="groupNos" value={g} /> Nhóm {g}
                </label>
              ))}
            </fieldset>
            <Field name="provinceCode" label="Tỉnh của cơ quan công tác (cho quy tắc xung đột cùng tỉnh)">
              <select id="f-provinceCode" name="provinceCode" defaultValue="">
                <option value="">—</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </Field>
            <div>
              <button className="btn" type="submit">
                Lưu thành viên
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="conflicts">
        <h2 id="conflicts">Xung đột lợi ích ({conflicts.length})</h2>
        {canEditCouncil ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="same-province" />
            <input type="hidden" name="enabled" value={round.sameProvince ? "0" : "1"} />
            <span>Quy tắc “giám khảo cùng tỉnh với cơ sở”: {round.sameProvince ? "đang áp dụng" : "không áp dụng"}.</span>
            <button className="btn secondary small" type="submit">
              {round.sameProvince ? "Bỏ áp dụng" : "Áp dụng"}
            </button>
          </Form>
        ) : null}
        {conflicts.length ? (
          <ul>
            {conflicts.map((c) => (
              <li key={c.id}>
                <strong>{c.jurorName}</strong> – {c.entryCode ? `${c.entryCode} ${c.productName}` : c.facilityName}: {c.reason}{" "}
                <span className="badge">{c.kind === "declared" ? "tự khai báo" : "tự động"}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có xung đột nào.</p>
        )}
      </section>

      <AssignmentTable
        entries={overview.entries}
        council={council}
        canAssign={canAssign}
        jurorsPerEntry={round.jurorsPerEntry ?? null}
      />
    </>
  );
}
