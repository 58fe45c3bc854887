import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { JobProgress } from "~/components/CommendationParts";
import { getDecisionRow } from "~/models/commendation/commendation.server";
import { getJob, jobPercent, parseTarget } from "~/models/shared/jobs.server";
import { requirePermission } from "~/utils/auth.server";
import { orErrorPage } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Tiến độ phát hành Bằng khen — CNNT Tiêu biểu" }];

/** The batch's progress; the page's fetcher polls this loader's JSON. Only decision batches here. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "commendation:manage");
  return orErrorPage(async () => {
    const job = await getJob(Number(params.id));
    const target = parseTarget(job.target);
    if (!target || target.type !== "decision") throw new Response("Không tìm thấy lượt phát hành.", { status: 404 });
    const decision = await getDecisionRow(target.id);
    return json(
      {
        job: { id: job.id, status: job.status, done: job.done, total: job.total, error: job.error, percent: jobPercent(job) },
        decision: { id: decision.id, number: decision.number },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}

export default function JobPage() {
  const { job, decision } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/ministry/decisions/${decision.id}`}>← Quyết định {decision.number}</Link>
      </p>
      <h1>Phát hành Bằng khen — Quyết định {decision.number}</h1>
      <JobProgress job={job} pollUrl={`/ministry/jobs/${job.id}`} />
      <div className="actions">
        <a className="btn secondary" href={`/certificates/bulk/decision-${decision.id}.pdf`}>
          Tải tất cả (PDF)
        </a>
        <a className="btn secondary" href={`/certificates/bulk/decision-${decision.id}.zip`}>
          Tải tất cả (ZIP)
        </a>
        <Link to={`/ministry/decisions/${decision.id}`}>Xem danh sách và từng Bằng khen</Link>
      </div>
    </>
  );
}
