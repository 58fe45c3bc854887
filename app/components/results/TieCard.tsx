/**
 * The tie at the quota's boundary on the results page (/organizer/rounds/:slug/results): the system
 * never breaks it; the council chooses and its reason is recorded, then listed with earlier ones.
 */
import { ConfirmForm } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { CONFIRM } from "~/utils/confirm";
import { formatDateTime } from "~/utils/format";

export function TieCard({
  tie,
  resolutions,
  entries,
  finalised,
  reasonError,
}: {
  tie: { entryIds: number[]; seats: number; resolution: { reason: string } | null } | null;
  resolutions: { id: number; recordedAt: string; reason: string }[];
  entries: { entryId: number; code: string | null; productName: string }[];
  finalised: boolean;
  reasonError?: string;
}) {
  return (
    <>
      {tie ? (
        <section className="card" aria-labelledby="tie">
          <h2 id="tie">Đồng điểm tại ranh giới chỉ tiêu</h2>
          <p>
            {tie.entryIds.length} sản phẩm có cùng điểm trung bình cho {tie.seats} suất còn lại. Hệ thống không tự phân định: hội
            đồng quyết định và ghi rõ lý do.
          </p>
          {tie.resolution ? (
            <p className="alert ok">Đã có quyết định: {tie.resolution.reason}</p>
          ) : !finalised ? (
            <ConfirmForm method="post" className="stack" confirm={CONFIRM.resolveTie}>
              <input type="hidden" name="intent" value="resolve-tie" />
              <fieldset>
                <legend>Chọn {tie.seats} sản phẩm được công nhận</legend>
                {entries
                  .filter((e) => tie.entryIds.includes(e.entryId))
                  .map((e) => (
                    <label key={e.entryId} style={{ display: "block" }}>
                      <input type="checkbox" name="selectedEntryIds" value={e.entryId} /> {e.code} {e.productName}
                    </label>
                  ))}
              </fieldset>
              <Field name="reason" label="Lý do quyết định của hội đồng" required error={reasonError} />
              <div>
                <button className="btn" type="submit">
                  Ghi nhận quyết định
                </button>
              </div>
            </ConfirmForm>
          ) : null}
        </section>
      ) : null}
      {resolutions.length ? (
        <section className="card">
          <h2>Các quyết định về đồng điểm</h2>
          <ul>
            {resolutions.map((r) => (
              <li key={r.id}>
                {formatDateTime(r.recordedAt)}: {r.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
