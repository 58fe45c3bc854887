import { Form } from "@remix-run/react";

import { formatDateTime, formatNumber } from "~/utils/format";

export interface SheetDecisionView {
  id: number;
  code: string | null;
  product_name: string;
  juror: string;
  total: string;
  proposal: "exclude" | "include";
  cause: string;
  status: "pending" | "applied" | "rejected" | "withdrawn";
  reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

const OUTCOME: Record<string, Record<string, string>> = {
  exclude: { applied: "Không tính phiếu", rejected: "Giữ phiếu (vẫn tính)" },
  include: { applied: "Tính lại phiếu", rejected: "Giữ nguyên (không tính)" },
};

/**
 * "Phiếu cần quyết định": conflicts that appeared after a sheet was submitted. Nothing changes the
 * count until the organiser decides each one with a written reason (issue 13).
 */
export function SheetDecisions({ items, editable, error }: { items: SheetDecisionView[]; editable: boolean; error?: string }) {
  if (!items.length) return null;
  const pending = items.filter((i) => i.status === "pending");
  const decided = items.filter((i) => i.status !== "pending");
  return (
    <section className="card" aria-labelledby="sheet-decisions">
      <h2 id="sheet-decisions">Phiếu cần quyết định{pending.length ? ` (${pending.length})` : ""}</h2>
      <p className="hint">
        Xung đột lợi ích phát hiện sau khi giám khảo đã nộp phiếu không tự loại phiếu: ban tổ chức quyết định tính hay không
        tính, ghi rõ lý do. Chưa quyết định hết thì chưa chốt được kết quả.
      </p>
      {pending.map((d) => (
        <Form method="post" key={d.id} className="stack" data-testid={`sheet-decision-${d.id}`}>
          <input type="hidden" name="intent" value="decide-sheet" />
          <input type="hidden" name="decisionId" value={d.id} />
          <p>
            <strong>
              {d.code} {d.product_name}
            </strong>{" "}
            — phiếu của {d.juror} ({formatNumber(Number(d.total), 1)} điểm). {d.cause}
          </p>
          {editable ? (
            <>
              <label htmlFor={`reason-${d.id}`}>Lý do quyết định *</label>
              <input id={`reason-${d.id}`} name="reason" required minLength={10} aria-invalid={error ? true : undefined} />
              {error ? (
                <p className="error" role="alert">
                  {error}
                </p>
              ) : null}
              <div className="actions">
                <button className="btn" type="submit" name="apply" value="1">
                  {d.proposal === "exclude" ? "Không tính phiếu này" : "Tính lại phiếu này"}
                </button>{" "}
                <button className="btn secondary" type="submit" name="apply" value="0">
                  {d.proposal === "exclude" ? "Giữ phiếu" : "Giữ nguyên không tính"}
                </button>
              </div>
            </>
          ) : null}
        </Form>
      ))}
      {decided.length ? (
        <ul>
          {decided.map((d) => (
            <li key={d.id}>
              {d.code} – {d.juror}: <strong>{OUTCOME[d.proposal]?.[d.status] ?? d.status}</strong> ({d.cause}). Lý do: {d.reason}
              {d.decided_by ? ` — ${d.decided_by}, ${formatDateTime(d.decided_at)}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
