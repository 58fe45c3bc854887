import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { FacilityFields } from "~/components/FacilityForm";
import { FormError } from "~/components/FormField";
import { createFacility, provinceOptions } from "~/models/facility/facility.server";
import { requirePermission } from "~/utils/auth.server";
import { formObject } from "~/utils/forms";
import { readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Đăng ký cơ sở — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "facility:manage");
  return json({ provinces: await provinceOptions() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "facility:manage");
  const data = formObject(await readForm(request));
  return withFormErrors(async () => {
    const { id } = await createFacility({ actorId: user.id, data });
    return redirectWithToast(`/facility/${id}`, { message: "Đã đăng ký cơ sở. Bây giờ hãy thêm sản phẩm." });
  });
}

export default function RegisterFacility() {
  const { provinces } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fields = data && "fields" in data ? data.fields : {};
  return (
    <div className="card">
      <h1>Đăng ký cơ sở công nghiệp nông thôn</h1>
      <p className="muted">Thông tin theo Giấy chứng nhận đăng ký kinh doanh / đăng ký hợp tác xã / hộ kinh doanh của cơ sở.</p>
      <FormError message={data && "formError" in data ? data.formError : null} />
      <Form method="post" className="stack" noValidate>
        <FacilityFields fields={fields} provinces={provinces} />
        <div className="actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Đang lưu…" : "Đăng ký cơ sở"}
          </button>
        </div>
      </Form>
    </div>
  );
}
