/**
 * Pieces of the ministry's commendation pages: the decision form (create and edit) and the batch
 * progress bar, which refreshes without JavaScript (a meta refresh inside <noscript>) and with
 * JavaScript (a fetcher polling the job's JSON).
 */
import { useFetcher, Form } from "@remix-run/react";
import { useEffect } from "react";

import { Field } from "./FormField";

export interface DecisionValues {
  number: string;
  signedOn: string;
  signerName: string;
  signerTitle: string;
  authority: string;
  periodFrom: number | string;
  periodTo: number | string;
  reason: string;
}

export const DECISION_DEFAULTS: DecisionValues = {
  number: "",
  signedOn: "",
  signerName: "",
  signerTitle: "Bộ trưởng Bộ Công Thương",
  authority: "Bộ Công Thương",
  periodFrom: "",
  periodTo: "",
  reason: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn …",
};

export function DecisionForm(props: { values: DecisionValues; errors?: Record<string, string>; intent: string; submitLabel: string }) {
  const v = props.values;
  const e = props.errors ?? {};
  return (
    <Form method="post" className="stack" style={{ maxWidth: "48rem" }}>
      <input type="hidden" name="intent" value={props.intent} />
      <div className="grid cols-2">
        <Field name="number" label="Số quyết định" hint="Dạng 1234/QĐ-BCT" required defaultValue={v.number} error={e.number} maxLength={20} />
        <Field name="signedOn" label="Ngày ký" type="date" required defaultValue={v.signedOn} error={e.signedOn} />
        <Field name="signerName" label="Người ký" required defaultValue={v.signerName} error={e.signerName} maxLength={200} />
        <Field name="signerTitle" label="Chức danh người ký" hint="Ví dụ: Bộ trưởng Bộ Công Thương; KT. Bộ trưởng - Thứ trưởng" required defaultValue={v.signerTitle} error={e.signerTitle} maxLength={200} />
        <Field name="authority" label="Cơ quan ban hành" required defaultValue={v.authority} error={e.authority} maxLength={200} />
        <div className="grid cols-2">
          <Field name="periodFrom" label="Giai đoạn từ năm" required inputMode="numeric" defaultValue={v.periodFrom} error={e.periodFrom} maxLength={4} />
          <Field name="periodTo" label="đến năm" required inputMode="numeric" defaultValue={v.periodTo} error={e.periodTo} maxLength={4} />
        </div>
      </div>
      <Field name="reason" label="Lý do khen thưởng" required error={e.reason}>
        <textarea id="f-reason" name="reason" rows={3} defaultValue={v.reason} required maxLength={1000} aria-invalid={e.reason ? true : undefined} />
      </Field>
      <div className="actions">
        <button className="btn" type="submit">
          {props.submitLabel}
        </button>
      </div>
    </Form>
  );
}

export interface JobView {
  id: number;
  status: "queued" | "running" | "done" | "failed";
  done: number;
  total: number;
  percent: number;
  error: string | null;
}

const STATUS_TEXT: Record<JobView["status"], string> = {
  queued: "Đang chờ",
  running: "Đang tạo PDF",
  done: "Hoàn tất",
  failed: "Dừng vì lỗi",
};

/** The progress of a batch; `pollUrl` answers the job as JSON (`{ job }`). */
export function JobProgress(props: { job: JobView; pollUrl: string }) {
  const fetcher = useFetcher<{ job: JobView }>();
  const job = fetcher.data?.job ?? props.job;
  const active = job.status === "queued" || job.status === "running";
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (fetcher.state === "idle") fetcher.load(props.pollUrl);
    }, 1000);
    return () => clearInterval(timer);
  }, [active, fetcher, props.pollUrl]);
  return (
    <div className="card" aria-live="polite">
      {active ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <p>
        <strong>{STATUS_TEXT[job.status]}</strong>: {job.done}/{job.total} giấy — <span data-testid="job-percent">{job.percent}%</span>
      </p>
      <progress max={100} value={job.percent} style={{ width: "100%", height: "1.5rem" }} aria-label="Tiến độ phát hành">
        {job.percent}%
      </progress>
      {job.status === "failed" && job.error ? (
        <div className="alert error" role="alert">
          {job.error}
        </div>
      ) : null}
    </div>
  );
}
