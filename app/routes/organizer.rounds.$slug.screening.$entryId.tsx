import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import {
  CERTIFICATE_LEVEL_NAMES,
  ELIGIBILITY_CONDITIONS,
  needsLowerCertificate,
  parseChecklist,
  parsePaperCertificate,
} from "~/models/entry/eligibility-rules";
import { screenEntry } from "~/models/entry/entry.server";
import { canScreenEntry } from "~/models/entry/rules";
import { getScreeningEntry } from "~/models/entry/views.server";
import { DOC_TYPES, DOSSIER_FIELDS, ENTRY_STATUS_NAMES } from "~/schemas/dossier";
import { LEGAL_FORM_NAMES } from "~/schemas/facility";
import { requirePermission } from "~/utils/auth.server";
import { formatBytes, formatDateTime } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { formFailure, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";

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
      round: { slug: round.slug, title: round.title, status: round.status, level: round.level },
      entry: {
        id: entry.id,
        code: entry.code,
        status: entry.status,
        submittedAt: entry.submittedAt,
        screeningNote: entry.screeningNote,
        screenedAt: entry.screenedAt,
        eligibility: entry.eligibility as { conditions?: { key: string; ok: boolean; note: string }[] } | null,
        lowerCertificateCheck: entry.lowerCertificateCheck as Record<string, string | boolean | null> | null,
        hasLinkedCertificate: !!entry.lowerCertificateId,
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
    const decision = String(form.decision ?? "");
    const { checklist, errors } = parseChecklist(form);
    const { paper, errors: paperErrors } = parsePaperCertificate(form);
    // "Trả lại" needs no checklist; the other decisions need every condition ticked.
    const fields = decision === "returned" ? {} : { ...errors, ...paperErrors };
    if (Object.keys(fields).length) return formFailure(400, Object.values(fields)[0], fields);
    await screenEntry({
      actorId: user.id,
      entryId: entry.id,
      decision,
      note: String(form.note ?? ""),
      checklist: decision === "returned" && Object.keys(errors).length ? null : checklist,
      paperCertificate: paper,
    });
    return redirect(`/organizer/rounds/${params.slug}/screening/${entry.id}?saved=1`);
  });
}

export default function ScreeningEntry() {
  const { round, entry } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [search] = useSearchParams();
  const s = entry.snapshot;
  const fieldErr = (name: string) => (data && "fields" in data ? (data.fields as Record<string, string>)[name] : undefined);
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
      {entry.lowerCertificateCheck ? (
        <p data-testid="lower-check">
          Giấy chứng nhận cấp dưới ({entry.lowerCertificateCheck.source === "system" ? "do hệ thống cấp" : "ghi từ bản giấy"}): số {String(entry.lowerCertificateCheck.serial ?? "—")},{" "}
          {CERTIFICATE_LEVEL_NAMES[String(entry.lowerCertificateCheck.level)] ?? "—"}, hiệu lực đến {String(entry.lowerCertificateCheck.validUntil ?? "—")}
          {entry.lowerCertificateCheck.problem ? ` — ${String(entry.lowerCertificateCheck.problem)}` : " — hợp lệ"}
        </p>
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
          <fieldset className="stack" data-testid="checklist">
            <legend>Điều kiện tham gia (đánh dấu từng điều kiện, ghi chú khi không đạt)</legend>
            {ELIGIBILITY_CONDITIONS.map((c) => {
              const prev = entry.eligibility?.conditions?.find((x) => x.key === c.key);
              const err = fieldErr(`c_${c.key}`) ?? fieldErr(`n_${c.key}`);
              return (
                <div key={c.key} className="stack" style={{ gap: ".25rem" }}>
                  <span id={`l_${c.key}`}>{c.label}</span>
                  <span role="radiogroup" aria-labelledby={`l_${c.key}`}>
                    <label>
                      <input type="radio" name={`c_${c.key}`} value="ok" defaultChecked={prev?.ok === true} /> Đạt
                    </label>{" "}
                    <label>
                      <input type="radio" name={`c_${c.key}`} value="fail" defaultChecked={prev?.ok === false} /> Không đạt
                    </label>
                  </span>
                  <label className="visually-hidden" htmlFor={`n_${c.key}`}>
                    Ghi chú: {c.label}
                  </label>
                  <input id={`n_${c.key}`} name={`n_${c.key}`} maxLength={500} defaultValue={prev?.note ?? ""} placeholder="Ghi chú" />
                  {err ? <p className="field-error">{err}</p> : null}
                </div>
              );
            })}
          </fieldset>
          {needsLowerCertificate(round.level) && !entry.hasLinkedCertificate ? (
            <fieldset className="stack" data-testid="paper-certificate">
              <legend>Giấy chứng nhận cấp dưới (ghi từ bản giấy, đối chiếu bản gốc)</legend>
              {[
                ["pc_serial", "Số giấy chứng nhận", "text", s.lowerCertificate?.serial ?? ""],
                ["pc_issuer", "Cơ quan cấp", "text", s.lowerCertificate?.issuer ?? ""],
                ["pc_issuedOn", "Ngày cấp", "date", ""],
                ["pc_validUntil", "Hiệu lực đến ngày", "date", ""],
              ].map(([name, label, type, value]) => (
                <div key={name}>
                  <label htmlFor={name}>{label}</label>
                  <input id={name} name={name} type={type} defaultValue={value} />
                  {fieldErr(name) ? <p className="field-error">{fieldErr(name)}</p> : null}
                </div>
              ))}
              <div>
                <label htmlFor="pc_level">Cấp của giấy chứng nhận</label>
                <select id="pc_level" name="pc_level" defaultValue="">
                  <option value="">— Chọn cấp —</option>
                  {Object.entries(CERTIFICATE_LEVEL_NAMES).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
                {fieldErr("pc_level") ? <p className="field-error">{fieldErr("pc_level")}</p> : null}
              </div>
              <div>
                <label htmlFor="pc_scan">Bản chụp trong hồ sơ</label>
                <select id="pc_scan" name="pc_scan" defaultValue={s.documents.find((d) => d.docType === "earlier_certificate")?.id ?? ""}>
                  <option value="">— Chọn tài liệu —</option>
                  {s.documents.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.originalName}
                    </option>
                  ))}
                </select>
                {fieldErr("pc_scan") ? <p className="field-error">{fieldErr("pc_scan")}</p> : null}
              </div>
              <label>
                <input type="checkbox" name="pc_revoked" value="on" /> Giấy chứng nhận đã bị thu hồi
              </label>
              <label>
                <input type="checkbox" name="pc_checked" value="on" /> Đã đối chiếu bản chụp với bản gốc
              </label>
              {fieldErr("pc_checked") ? <p className="field-error">{fieldErr("pc_checked")}</p> : null}
            </fieldset>
          ) : entry.hasLinkedCertificate ? (
            <p data-testid="linked-certificate">Giấy chứng nhận cấp dưới do hệ thống cấp, đã liên kết tự động và được kiểm tra cấp, hiệu lực, thu hồi khi ghi nhận.</p>
          ) : null}
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
