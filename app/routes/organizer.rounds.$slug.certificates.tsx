import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { JobProgress } from "~/components/CommendationParts";
import { FormError } from "~/components/FormField";
import { RoundNav } from "~/components/RoundNav";
import { getRoundInScope } from "~/models/round/round.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { jobPercent, latestJob, startCertificateBatch, targetCertificateIds } from "~/models/shared/jobs.server";
import { requirePermission } from "~/utils/auth.server";
import { orErrorPage, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Giấy chứng nhận của đợt — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "certificate:issue");
  return orErrorPage(async () => {
    const round = await getRoundInScope({ slug: params.slug ?? "", roles: user.roles });
    const [job, ids] = await Promise.all([latestJob({ type: "round", id: round.id }), targetCertificateIds({ type: "round", id: round.id })]);
    return json(
      {
        round: { id: round.id, slug: round.slug, title: round.title, status: round.status, statusName: STATUS_NAMES[round.status] },
        certificates: ids.length,
        job: job ? { id: job.id, status: job.status, done: job.done, total: job.total, error: job.error, percent: jobPercent(job) } : null,
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "certificate:issue");
  await readForm(request); // the button's form has no fields; other bodies are refused (415/400)
  return withFormErrors(async () => {
    const round = await getRoundInScope({ slug: params.slug ?? "", roles: user.roles });
    await startCertificateBatch({ target: { type: "round", id: round.id }, actorId: user.id });
    return redirect(`/organizer/rounds/${round.slug}/certificates`);
  });
}

export default function RoundCertificates() {
  const { round, certificates, job } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const published = round.status === "published";
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <h2>Giấy chứng nhận sản phẩm</h2>
      <FormError message={result && "formError" in result ? result.formError : null} />
      {!published ? <p className="alert info">Giấy chứng nhận được cấp khi đợt công bố kết quả.</p> : null}
      <p>
        Đợt có <strong>{certificates}</strong> giấy chứng nhận.
      </p>
      {job ? <JobProgress job={job} pollUrl={`/organizer/rounds/${round.slug}/certificates`} /> : null}
      {published ? (
        <div className="actions">
          <Form method="post" className="inline-form">
            <button className="btn" type="submit">
              Tạo PDF tất cả giấy chứng nhận
            </button>
          </Form>
          {certificates ? (
            <>
              <a className="btn secondary" href={`/certificates/bulk/round-${round.id}.pdf`}>
                Tải tất cả (PDF)
              </a>
              <a className="btn secondary" href={`/certificates/bulk/round-${round.id}.zip`}>
                Tải tất cả (ZIP)
              </a>
            </>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
