import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { RoundForm } from "~/components/RoundForm";
import { createRound } from "~/models/round/round.server";
import { listScopeOptions } from "~/models/shared/reference.server";
import { roundSchema } from "~/schemas/round";
import { requirePermission } from "~/utils/auth.server";
import { CHECK_FIELDS, formObject, parseForm } from "~/utils/forms";
import { invalid, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Tạo đợt bình chọn — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "round:manage");
  return json({ options: await listScopeOptions(), year: new Date().getFullYear() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "round:manage");
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    const parsed = parseForm(roundSchema, form, CHECK_FIELDS);
    if (!parsed.ok) return invalid(parsed);
    const round = await createRound({ actorId: user.id, roles: user.roles, data: parsed.data });
    return redirect(`/organizer/rounds/${round.slug}`);
  });
}

export default function NewRound() {
  const { options, year } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Tạo đợt bình chọn</h1>
      <FormFeedback result={result} />
      <div className="card">
        <RoundForm
          mode="create"
          options={options}
          fields={result && "fields" in result ? result.fields : undefined}
          values={{ year, authority: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công – Bộ Công Thương" }}
        />
      </div>
    </>
  );
}
