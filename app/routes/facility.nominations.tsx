import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { confirmNomination, listFacilityNominations } from "~/models/round/nomination-facility.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Sản phẩm được đề nghị lên cấp trên" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "entry:submit");
  return orErrorPage(async () => json({ items: await listFacilityNominations(user.id) }));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "entry:submit");
  const form = await readForm(request);
  return withFormErrors(async () => {
    const done = await confirmNomination({ actorId: user.id, nominationId: Number(form.get("nominationId")) });
    return redirectWithToast(
      "/facility/nominations",
      done.missing.length
        ? { message: "Đã xác nhận; hồ sơ còn thiếu, hãy bổ sung rồi nộp.", details: done.missing }
        : { message: "Đã xác nhận và nộp hồ sơ lên cấp trên từ hồ sơ, ảnh và tài liệu sẵn có (không cần tải lại)." },
    );
  });
}

export default function FacilityNominations() {
  const { items } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>Sản phẩm được đề nghị lên cấp trên</h1>
      <FormError message={data && "formError" in data ? data.formError : null} />
      {items.length === 0 ? <p>Chưa có sản phẩm nào của cơ sở được đề nghị.</p> : null}
      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
        {items.map((n) => (
          <li key={n.id} className="card" data-testid="nomination">
            <p>
              <strong>{n.productName}</strong> ({n.facilityName}) — đề nghị vào đợt “{n.roundTitle}” theo công văn {n.letterNo} ngày {n.letterDate}. Hạn
              hoàn thiện hồ sơ: {formatDateTime(n.closesAt)}.
            </p>
            {n.entryStatus && n.entryStatus !== "draft" ? (
              <p>Hồ sơ đã nộp lên cấp trên.</p>
            ) : (
              <Form method="post">
                <input type="hidden" name="nominationId" value={n.id} />
                <button type="submit" className="btn">
                  Xác nhận và nộp hồ sơ
                </button>{" "}
                <Link to={`/facility/entry/${n.productId}/${n.roundSlug}`}>Xem, bổ sung hồ sơ</Link>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
