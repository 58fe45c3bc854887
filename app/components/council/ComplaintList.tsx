/**
 * The complaints card of the council page (/organizer/rounds/:slug/hoi-dong): each complaint with
 * its resolution form, and the re-screening form once an accepted complaint asks for one.
 */
import { Form } from "@remix-run/react";

import { Field } from "~/components/FormField";
import { COMPLAINT_STATUS_NAMES, FOLLOW_UP_NAMES, RESCREEN_OUTCOME_NAMES } from "~/models/council/session-rules";
import { formatDateTime } from "~/utils/format";

export interface ComplaintItem {
  id: number;
  code: string;
  subject: string;
  status: keyof typeof COMPLAINT_STATUS_NAMES;
  complainant?: string | null;
  email?: string | null;
  filedAt: string;
  pdfId?: string | null;
  body: string;
  resolution: string | null;
  followUp: keyof typeof FOLLOW_UP_NAMES | null;
  resolvedAt: string | null;
  rescreen: { outcome: keyof typeof RESCREEN_OUTCOME_NAMES; note: string; decidedAt: string } | null;
}

export function ComplaintList({ complaints, round, fields }: { complaints: ComplaintItem[]; round: { slug: string; decisionNo: string | null }; fields: Record<string, string> }) {
  return (
    <section className="card" aria-labelledby="complaints">
      <h2 id="complaints">Khiếu nại ({complaints.length})</h2>
      {complaints.map((c) => (
        <article key={c.id} className="card" aria-label={`Khiếu nại ${c.code}`}>
          <h3>
            {c.code} – về {c.subject} – {COMPLAINT_STATUS_NAMES[c.status]}
          </h3>
          <p className="muted">
            {c.complainant} ({c.email}), {formatDateTime(c.filedAt)}
            {c.pdfId ? (
              <>
                {" "}
                – <a href={`/organizer/rounds/${round.slug}/hoi-dong/khieu-nai-${c.id}.pdf`}>tài liệu kèm theo</a>
              </>
            ) : null}
          </p>
          <p style={{ whiteSpace: "pre-wrap" }}>{c.body}</p>
          {c.status === "open" ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="resolve" />
              <input type="hidden" name="complaintId" value={c.id} />
              <Field name="status" id={`f-status-${c.id}`} label="Kết quả">
                <select id={`f-status-${c.id}`} name="status">
                  <option value="rejected">Không chấp nhận</option>
                  <option value="accepted">Chấp nhận</option>
                </select>
              </Field>
              <Field name="followUp" id={`f-follow-${c.id}`} label="Xử lý tiếp theo" error={fields.followUp}>
                <select id={`f-follow-${c.id}`} name="followUp">
                  {Object.entries(FOLLOW_UP_NAMES).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="resolution" id={`f-resolution-${c.id}`} label="Lý do" error={fields.resolution}>
                <textarea id={`f-resolution-${c.id}`} name="resolution" rows={3} />
              </Field>
              <p>
                <button className="btn" type="submit">
                  Ghi kết quả giải quyết {c.code}
                </button>
              </p>
            </Form>
          ) : (
            <p>
              {c.resolution} ({c.followUp ? FOLLOW_UP_NAMES[c.followUp] : ""}, {formatDateTime(c.resolvedAt)})
            </p>
          )}
          {c.rescreen ? (
            <p>
              Thẩm định lại: <strong>{RESCREEN_OUTCOME_NAMES[c.rescreen.outcome]}</strong> – {c.rescreen.note} ({formatDateTime(c.rescreen.decidedAt)})
            </p>
          ) : c.status === "accepted" && c.followUp === "rescreen" && !round.decisionNo ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="rescreen" />
              <input type="hidden" name="complaintId" value={c.id} />
              <Field name="outcome" id={`f-outcome-${c.id}`} label={`Kết quả thẩm định lại hồ sơ ${c.subject}`} error={fields.outcome}>
                <select id={`f-outcome-${c.id}`} name="outcome">
                  {Object.entries(RESCREEN_OUTCOME_NAMES).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </Field>
              <Field name="note" id={`f-rescreen-note-${c.id}`} label="Nhận xét thẩm định lại" error={fields.note}>
                <textarea id={`f-rescreen-note-${c.id}`} name="note" rows={3} />
              </Field>
              <p>
                <button className="btn" type="submit">
                  Ghi kết quả thẩm định lại {c.code}
                </button>
              </p>
            </Form>
          ) : null}
        </article>
      ))}
    </section>
  );
}
