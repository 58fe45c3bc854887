/**
 * The assignment card of the jury page (/organizer/rounds/:slug/council): automatic assignment, and
 * per entry its jurors (removable until their sheet is submitted) and a juror to add.
 */
import { Form } from "@remix-run/react";

export interface AssignmentEntry {
  entryId: number;
  code: string | null;
  productName: string;
  groupNo: number;
  jurors: { id: string; name: string; sheetStatus: string | null }[];
}

export function AssignmentTable({
  entries,
  council,
  canAssign,
  jurorsPerEntry,
}: {
  entries: AssignmentEntry[];
  council: { userId: string; fullName: string }[];
  canAssign: boolean;
  jurorsPerEntry: number | null;
}) {
  return (
    <section className="card" aria-labelledby="assign">
      <h2 id="assign">Phân công chấm điểm</h2>
      {canAssign ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="auto-assign" />
          <label htmlFor="k">Số giám khảo mỗi hồ sơ</label>
          <input
            id="k"
            name="k"
            inputMode="numeric"
            defaultValue={jurorsPerEntry ?? ""}
            placeholder="tất cả"
            style={{ width: "6rem" }}
          />
          <button className="btn" type="submit">
            Phân công tự động
          </button>
        </Form>
      ) : (
        <p className="hint">Phân công khi đợt ở bước thẩm định hoặc chấm điểm.</p>
      )}
      <div className="table-wrap" style={{ marginTop: "1rem" }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Sản phẩm</th>
              <th scope="col">Nhóm</th>
              <th scope="col">Giám khảo</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.entryId}>
                <td>{e.code}</td>
                <td>{e.productName}</td>
                <td>{e.groupNo}</td>
                <td>
                  {e.jurors.map((j) => (
                    <Form method="post" key={j.id} className="inline-form">
                      <input type="hidden" name="intent" value="unassign" />
                      <input type="hidden" name="entryId" value={e.entryId} />
                      <input type="hidden" name="jurorId" value={j.id} />
                      <span className={`badge ${j.sheetStatus === "submitted" ? "ok" : ""}`}>{j.name}</span>
                      {canAssign && j.sheetStatus !== "submitted" ? (
                        <button className="linklike" type="submit" aria-label={`Bỏ phân công ${j.name}`}>
                          ×
                        </button>
                      ) : null}{" "}
                    </Form>
                  ))}
                  {canAssign ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="assign" />
                      <input type="hidden" name="entryId" value={e.entryId} />
                      <label className="visually-hidden" htmlFor={`j-${e.entryId}`}>
                        Thêm giám khảo cho {e.code}
                      </label>
                      <select id={`j-${e.entryId}`} name="jurorId" defaultValue="">
                        <option value="">+ giám khảo</option>
                        {council
                          .filter((m) => !e.jurors.some((j) => j.id === m.userId))
                          .map((m) => (
                            <option key={m.userId} value={m.userId}>
                              {m.fullName}
                            </option>
                          ))}
                      </select>{" "}
                      <button className="btn secondary small" type="submit">
                        Thêm
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
