import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FacilityFields } from "~/components/FacilityForm";
import { Field, FormError } from "~/components/FormField";
import { revokeInvitation } from "~/models/account/invitation.server";
import { listMembers, provinceOptions, requireFacilityMember, inviteStaff, updateFacility } from "~/models/facility/facility.server";
import { createProduct, listProducts } from "~/models/facility/product.server";
import { listProductGroups } from "~/models/shared/reference.server";
import { LEGAL_FORM_NAMES } from "~/schemas/facility";
import { requirePermission } from "~/utils/auth.server";
import { isAppError } from "~/utils/errors";
import { formatDate } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { orErrorPage, readForm } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.facility.name ?? "Cơ sở"} — CNNT Tiêu biểu` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "facility:manage");
  const facilityId = Number(params.facilityId);
  return orErrorPage(async () => {
    const facility = await requireFacilityMember({ userId: user.id, facilityId });
    const [people, products, provinces, groups] = await Promise.all([
      listMembers({ userId: user.id, facilityId }),
      listProducts({ userId: user.id, facilityId }),
      provinceOptions(),
      listProductGroups(),
    ]);
    return json({
      facility,
      people,
      products: products.map((p) => ({ id: p.id, name: p.name, groupNo: p.groupNo })),
      provinces,
      groups,
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "facility:manage");
  const facilityId = Number(params.facilityId);
  const form = formObject(await readForm(request));
  const intent = String(form.intent ?? "");
  try {
    // Another facility's id answers 404 whatever the form holds (the models validate before they look).
    await requireFacilityMember({ userId: user.id, facilityId });
    switch (intent) {
      case "update":
        await updateFacility({ actorId: user.id, facilityId, data: form });
        return redirectWithToast(samePage(request), { message: "Đã lưu thông tin cơ sở." });
      case "invite":
        // The same answer whoever the address belongs to (issue 16 §4).
        await inviteStaff({ actorId: user.id, facilityId, email: String(form.email ?? "") });
        return redirectWithToast(samePage(request), {
          message: "Đã gửi lời mời qua email. Người được mời chỉ trở thành nhân viên khi đăng nhập bằng đúng địa chỉ đó và nhận lời (trong 7 ngày).",
        });
      case "revoke-invite":
        await revokeInvitation({ actorId: user.id, invitationId: Number(form.invitationId), kind: "facility", facilityId });
        return redirectWithToast(samePage(request), { message: "Đã thu hồi lời mời." });
      case "createProduct": {
        const { id } = await createProduct({ actorId: user.id, facilityId, name: form.name, groupNo: form.groupNo, description: form.description });
        return redirectWithToast(`/facility/products/${id}`, { message: "Đã thêm sản phẩm. Hãy tải ảnh và tài liệu lên." });
      }
      default:
        return json({ ok: false as const, intent, formError: "Thao tác không hợp lệ.", fields: {} as Record<string, string> }, { status: 400 });
    }
  } catch (error) {
    // The page has three forms sharing field names: errors say which form they belong to.
    if (isAppError(error)) return json({ ok: false as const, intent, formError: error.message, fields: error.fields }, { status: error.status });
    throw error;
  }
}

export default function FacilityPage() {
  const { facility, people, products, provinces, groups } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const failed = data && "formError" in data ? data : null;
  const fieldsOf = (intent: string) => (failed && failed.intent === intent ? failed.fields : {});
  const isOwner = facility.memberRole === "owner";
  return (
    <>
      <p>
        <Link to="/facility">← Cơ sở của tôi</Link>
      </p>
      <h1>{facility.name}</h1>
      <FormError message={failed?.formError} />

      <section className="card">
        <h2>Sản phẩm</h2>
        {products.length ? (
          <ul>
            {products.map((p) => (
              <li key={p.id}>
                <Link to={`/facility/products/${p.id}`}>{p.name}</Link> <span className="muted">(nhóm {p.groupNo})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có sản phẩm nào.</p>
        )}
        <h3>Thêm sản phẩm</h3>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="createProduct" />
          <Field id="f-product-name" name="name" label="Tên sản phẩm (hoặc bộ sản phẩm)" required maxLength={200} error={fieldsOf("createProduct").name} />
          <Field name="groupNo" label="Nhóm sản phẩm" required error={fieldsOf("createProduct").groupNo}>
            <select id="f-groupNo" name="groupNo" defaultValue="">
              <option value="">— Chọn nhóm —</option>
              {groups.map((g) => (
                <option key={g.no} value={g.no}>
                  {g.no}. {g.name}
                </option>
              ))}
            </select>
          </Field>
          <Field name="description" label="Mô tả ngắn" required error={fieldsOf("createProduct").description}>
            <textarea id="f-description" name="description" maxLength={5000} aria-invalid={fieldsOf("createProduct").description ? true : undefined} />
          </Field>
          <div className="actions">
            <button type="submit" className="btn">
              Thêm sản phẩm
            </button>
          </div>
        </Form>
      </section>

      <section className="card">
        <h2>Thông tin cơ sở</h2>
        {isOwner ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="update" />
            <FacilityFields values={facility} fields={fieldsOf("update")} provinces={provinces} />
            <div className="actions">
              <button type="submit" className="btn secondary">
                Lưu thông tin cơ sở
              </button>
            </div>
          </Form>
        ) : (
          <dl>
            <dt>Loại hình</dt>
            <dd>{LEGAL_FORM_NAMES[facility.legalForm]}</dd>
            <dt>Số đăng ký</dt>
            <dd>{facility.registrationNo}</dd>
            <dt>Địa chỉ</dt>
            <dd>{[facility.address, facility.commune, facility.district].filter(Boolean).join(", ")}</dd>
            <dt>Người đại diện</dt>
            <dd>{facility.representative}</dd>
          </dl>
        )}
      </section>

      <section className="card">
        <h2>Thành viên</h2>
        <ul>
          {people.members.map((m) => (
            <li key={m.userId}>
              {m.fullName} ({m.email}) — {m.role === "owner" ? "chủ cơ sở" : "nhân viên"}
            </li>
          ))}
          {people.pending.map((invite) => (
            <li key={invite.id} className="muted">
              {invite.email} — đã mời, chờ nhận lời (hết hạn {formatDate(invite.expiresAt)})
              {isOwner ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke-invite" />
                  <input type="hidden" name="invitationId" value={invite.id} />
                  <button type="submit" className="btn secondary small">
                    Thu hồi
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {isOwner ? (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <Field id="f-invite-email" name="email" label="Mời nhân viên bằng email" type="email" maxLength={200} error={fieldsOf("invite").email} />
            <div className="actions">
              <button type="submit" className="btn secondary">
                Mời
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
