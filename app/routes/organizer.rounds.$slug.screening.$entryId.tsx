import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { screenEntry } from "~/models/entry/entry.server";
import { canScreenEntry } from "~/models/entry/rules";
import { getScreeningEntry } from "~/models/entry/views.server";
import { DOC_TYPES, DOSSIER_FIELDS, ENTRY_STATUS_NAMES } from "~/schemas/dossier";
import { LEGAL_FORM_NAMES } from "~/schemas/facility";
import { requirePermission } from "~/utils/auth.server";
import { formatBytes, formatDateTime } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { orErrorPage, readForm, withFormErrors } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Hồ sơ ${data?.entry.code ?? ""} — Thẩm định` }];

interface Snapshot {
  product: { name: string; groupNo: number; groupName: string | null; description: string };
  facility: Record<string, string | null>;
  dossier: Record<string, string>;
  photos: { id: string; originalName: string }[];
  documents: { id: string; docType: string; originalName: string; sizeBytes: number }[];
  lowerCertificate: Record<string, string> | null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "entry:screen");
  return orErrorPage(async () => {
    const { round, entry } = await getScreeningEntry({ userId: user.id, slug: String(params.slug), entryId: Number(params.entryId) });
    return json({
      round: { slug: round.slug, title: round.title, status: round.status },
      entry: {
        id: entry.id,
        code: entry.code,
        status: entry.status,
        submittedAt: entry.submittedAt,
        screeningNote: entry.screeningNote,
        screenedAt: entry.screenedAt,
        snapshot: entry.snapshot as unknown as Snapshot,
      },
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "entry:screen");
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    const { entry } = await getScreeningEntry({ userId: user.id, slug: String(params.slug), entryId: Number(params.entryId) });
    await screenEntry({ actorId: user.id, entryId: entry.id, decision: String(form.decision ?? ""), note: String(form.note ?? "") });
    return redirect(`/organizer/rounds/${params.slug}/screening/${entry.id}?saved=1`);
  });
}

export default function ScreeningEntry() {
  const { round, entry } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const s = entry.snapshot;
  const open = canScreenEntry(entry, round);
  return (
    <>
      <p>
        <Link to={`/organizer/rounds/${round.slug}/screening`}>← Danh sách hồ sơ</Link>
      </p>
      <h1>
        {entry.code} — {s.product.name}
      </h1>
      <p>
        Trạng thái: <span className="badge" data-testid="entry-status">{ENTRY_STATUS_NAMES[entry.status]}</span> · Nộp lúc {formatDateTime(entry.submittedAt)}
      </p>
      {entry.screeningNote ? (
        <div className="alert info">
          <strong>Ghi chú thẩm định:</strong> {entry.screeningNote}
        </div>
      ) : null}
      {search.get("saved") ? (
        <div className="alert ok" role="status">
          Đã ghi nhận kết quả thẩm định.
        </div>
      ) : null}
      <FormError message={data && "formError" in data ? data.formError : null} />

      <section className="card">
        <h2>Cơ sở</h2>
        <p>
          <strong>{s.facility.name}</strong> ({LEGAL_FORM_NAMES[s.facility.legalForm as keyof typeof LEGAL_FORM_NAMES] ?? s.facility.legalForm}), số đăng ký{" "}
          {s.facility.registrationNo}
          <br />
          {[s.facility.address, s.facility.commune, s.facility.district, s.facility.provinceName].filter(Boolean).join(", ")}
          {s.facility.legacyProvinceName && s.facility.legacyProvinceName !== s.facility.provinceName ? ` (trước 2025: ${s.facility.legacyProvinceName})` : ""}
          <br />
          Người đại diện: {s.facility.representative} {s.facility.phone ? `· ${s.facility.phone}` : ""}
        </p>
      </section>

      <section className="card">
        <h2>Sản phẩm</h2>
        <p>
          Nhóm {s.product.groupNo}. {s.product.groupName}
        </p>
        <p style={{ whiteSpace: "pre-wrap" }}>{s.product.description}</p>
        <dl>
          {DOSSIER_FIELDS.map((f) => (
            <div key={f.name}>
              <dt>
                <strong>{f.label}</strong>
              </dt>
              <dd style={{ whiteSpace: "pre-wrap" }}>{s.dossier?.[f.name] ?? "—"}</dd>
            </div>
          ))}
        </dl>
        {s.lowerCertificate ? (
          <p>
            Giấy chứng nhận cấp dưới: số {s.lowerCertificate.serial || "—"}, {s.lowerCertificate.issuer || "—"}, năm {s.lowerCertificate.year || "—"}
            {s.lowerCertificate.decisionNo ? `, QĐ ${s.lowerCertificate.decisionNo}` : ""}
          </p>
        ) : null}
        <ul style={{ listStyle: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: ".5rem" }}>
          {s.photos.map((p) => (
            <li key={p.id}>
              <a href={`/files/${p.id}/1280.jpg`}>
                <img src={`/files/${p.id}/320.jpg`} alt={`Ảnh ${p.originalName}`} width={160} style={{ width: 160, height: "auto" }} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
        <ul>
          {s.documents.map((d) => (
            <li key={d.id}>
              <a href={`/files/${d.id}/document`}>{d.originalName}</a> — {DOC_TYPES[d.docType as keyof typeof DOC_TYPES] ?? d.docType} ({formatBytes(d.sizeBytes)})
            </li>
          ))}
        </ul>
      </section>

      {open ? (
        <Form method="post" className="card stack">
          <h2>Kết quả thẩm định</h2>
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend className="visually-hidden">Kết quả</legend>
            <label>
              <input type="radio" name="decision" value="eligible" defaultChecked={entry.status === "eligible"} /> Hợp lệ
            </label>
            <label>
              <input type="radio" name="decision" value="returned" /> Trả lại để cơ sở bổ sung
            </label>
            <label>
              <input type="radio" name="decision" value="ineligible" defaultChecked={entry.status === "ineligible"} /> Không hợp lệ
            </label>
          </fieldset>
          <div>
            <label htmlFor="note">Nhận xét / lý do (bắt buộc khi trả lại hoặc không hợp lệ; cơ sở sẽ thấy)</label>
            <textarea id="note" name="note" maxLength={2000} defaultValue="" />
            {data && "fields" in data && data.fields.note ? <p className="field-error">{data.fields.note}</p> : null}
          </div>
          <div className="actions">
            <button type="submit" className="btn">
              Ghi nhận kết quả
            </button>
          </div>
        </Form>
      ) : null}
    </>
  );
}
