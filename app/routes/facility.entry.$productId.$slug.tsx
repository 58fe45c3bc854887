import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { ConfirmForm, confirmAttrs, ConfirmStep } from "~/components/Confirm";
import { Field, FormError } from "~/components/FormField";
import { saveEntryDraft, submitEntry, withdrawEntry } from "~/models/entry/entry.server";
import { canSaveEntry, canWithdrawEntry, showsScreeningNote } from "~/models/entry/rules";
import { entryPage } from "~/models/entry/views.server";
import { isRegistrationOpen } from "~/models/round/rules";
import { DOC_TYPES, DOSSIER_FIELDS, ENTRY_STATUS_NAMES, NEEDS_LOWER_CERTIFICATE } from "~/schemas/dossier";
import { requirePermission } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { formatDateTime } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Hồ sơ ${data?.product.name ?? ""} — ${data?.round.title ?? "Đợt bình chọn"}` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "entry:submit");
  return orErrorPage(async () => {
    const page = await entryPage({ userId: user.id, productId: Number(params.productId), slug: String(params.slug) });
    return json({
      round: {
        id: page.round.id,
        title: page.round.title,
        level: page.round.level,
        status: page.round.status,
        closesAt: page.round.registrationClosesAt,
        open: isRegistrationOpen(page.round),
      },
      product: { id: page.product.id, name: page.product.name, dossier: page.product.dossier as Record<string, string> },
      entry: page.entry
        ? {
            id: page.entry.id,
            code: page.entry.code,
            status: page.entry.status,
            screeningNote: page.entry.screeningNote,
            submittedAt: page.entry.submittedAt,
            lowerCertificate: page.entry.lowerCertificate ?? {},
            snapshot: page.entry.snapshot as { dossier?: Record<string, string> } | null,
          }
        : null,
      photos: page.photos.map((p) => ({ id: p.id, originalName: p.originalName })),
      documents: page.documents.map((d) => ({ id: d.id, originalName: d.originalName, docType: d.docType })),
      missing: page.missing,
      canSave: isRegistrationOpen(page.round) && canSaveEntry(page.entry),
      canWithdraw: page.entry ? canWithdrawEntry(page.entry, page.round) : false,
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "entry:submit");
  const formData = await readForm(request);
  const form = formObject(formData);
  const productId = Number(params.productId);
  const done = (message: string) => redirectWithToast(samePage(request), { message });
  return withFormErrors(async () => {
    const page = await entryPage({ userId: user.id, productId, slug: String(params.slug) });
    const dossier = Object.fromEntries(DOSSIER_FIELDS.map((f) => [f.name, typeof form[f.name] === "string" ? form[f.name] : ""]));
    const lowerCertificate = { serial: form.lcSerial, issuer: form.lcIssuer, decisionNo: form.lcDecisionNo, year: form.lcYear };
    switch (form.intent) {
      case "save": {
        await saveEntryDraft({ actorId: user.id, roundId: page.round.id, productId, dossier, lowerCertificate });
        return done("Đã lưu bản nháp hồ sơ.");
      }
      case "submit": {
        const step = confirmationStep(formData, CONFIRM.submitEntry);
        if (step) return step;
        const { id } = await saveEntryDraft({ actorId: user.id, roundId: page.round.id, productId, dossier, lowerCertificate });
        const { code } = await submitEntry({ actorId: user.id, entryId: id });
        return done(`Đã nộp hồ sơ. Mã số bình chọn: ${code}.`);
      }
      case "withdraw": {
        if (!page.entry) return formFailure(404, "Không tìm thấy hồ sơ.");
        const step = confirmationStep(formData, CONFIRM.withdrawEntry);
        if (step) return step;
        await withdrawEntry({ actorId: user.id, entryId: page.entry.id });
        return done("Đã rút hồ sơ.");
      }
      default:
        return formFailure(400, "Thao tác không hợp lệ.");
    }
  });
}

const BADGE: Record<string, string> = { submitted: "", eligible: "ok", selected: "ok", returned: "warn", ineligible: "bad", not_selected: "bad", withdrawn: "" };

export default function EntryPage() {
  const { round, product, entry, photos, documents, missing, canSave, canWithdraw } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = data && "formError" in data ? data : null;
  const fields: Record<string, string> = failed ? failed.fields : {};
  const failedMissing = fields._missing ? fields._missing.split("\n").filter(Boolean) : [];
  const shownMissing = failedMissing.length ? failedMissing : missing;
  const editable = canSave;
  const shown = entry && !editable && entry.snapshot?.dossier ? entry.snapshot.dossier : product.dossier;
  const lc = (entry?.lowerCertificate ?? {}) as Record<string, string>;
  return (
    <>
      <p>
        <Link to={`/facility/products/${product.id}`}>← {product.name}</Link>
      </p>
      <h1>Hồ sơ tham gia: {round.title}</h1>
      <p>
        Sản phẩm: <strong>{product.name}</strong>. Hạn nộp: <strong>{formatDateTime(round.closesAt)}</strong> (giờ Việt Nam).
      </p>
      {entry ? (
        <p>
          Trạng thái:{" "}
          <span className={`badge ${BADGE[entry.status] ?? ""}`} data-testid="entry-status">
            {ENTRY_STATUS_NAMES[entry.status]}
          </span>
          {entry.code ? <> · Mã số bình chọn: <strong>{entry.code}</strong></> : null}
          {entry.submittedAt ? <> · Nộp lúc {formatDateTime(entry.submittedAt)}</> : null}
        </p>
      ) : null}
      {entry?.code && entry.submittedAt && entry.snapshot ? (
        <p>
          <Link to={`/facility/receipts/${entry.id}`}>Giấy biên nhận hồ sơ</Link> (in hoặc tải PDF: mã số, thời điểm nộp, danh sách đã nộp, mã băm
          SHA-256 của hồ sơ)
        </p>
      ) : null}
      {entry && showsScreeningNote(entry) ? (
        <div className={`alert ${entry.status === "returned" ? "info" : "error"}`}>
          <strong>{entry.status === "returned" ? "Ban tổ chức trả lại hồ sơ để bổ sung:" : "Lý do không hợp lệ:"}</strong> {entry.screeningNote}
        </div>
      ) : null}
      {data && "confirmation" in data ? <ConfirmStep step={data.confirmation} /> : null}
      {/* A refused submission lists what is missing once, in the box below, not again in the error. */}
      <FormError message={failedMissing.length ? "Chưa nộp được hồ sơ: hãy bổ sung các mục còn thiếu dưới đây rồi nộp lại." : failed?.formError} />
      {editable && shownMissing.length ? (
        <div className={`alert ${failedMissing.length ? "error" : "info"}`} data-testid="missing-items">
          <strong>Còn thiếu trước khi nộp:</strong>
          <ul>
            {shownMissing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <section className="card">
        <h2>Ảnh và tài liệu</h2>
        <p>
          {photos.length} ảnh, {documents.length} tài liệu.{" "}
          {editable ? <Link to={`/facility/products/${product.id}`}>Thêm hoặc sửa ảnh, tài liệu</Link> : null}
        </p>
        <ul style={{ listStyle: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: ".5rem" }}>
          {photos.map((p) => (
            <li key={p.id}>
              <img src={`/files/${p.id}/320.jpg`} alt={`Ảnh ${p.originalName}`} width={120} style={{ width: 120, height: "auto" }} loading="lazy" />
            </li>
          ))}
        </ul>
        <ul>
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`/files/${d.id}/document`}>{d.originalName}</a> — {DOC_TYPES[d.docType as keyof typeof DOC_TYPES] ?? d.docType}
            </li>
          ))}
        </ul>
      </section>

      <ConfirmForm method="post" className="card stack" noValidate style={{ maxWidth: "none" }}>
        <h2>Phiếu đăng ký và thuyết minh sản phẩm</h2>
        <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: ".9rem" }}>
          {DOSSIER_FIELDS.map((f) => (
            <Field key={f.name} name={f.name} label={f.label} hint={f.hint || undefined} error={fields[f.name]}>
              {f.long ? (
                <textarea id={`f-${f.name}`} name={f.name} maxLength={f.max} defaultValue={shown[f.name] ?? ""} aria-invalid={fields[f.name] ? true : undefined} />
              ) : (
                <input id={`f-${f.name}`} type="text" name={f.name} maxLength={f.max} defaultValue={shown[f.name] ?? ""} aria-invalid={fields[f.name] ? true : undefined} />
              )}
            </Field>
          ))}
          {NEEDS_LOWER_CERTIFICATE.has(round.level) ? (
            <>
              <h3>Giấy chứng nhận sản phẩm CNNT tiêu biểu cấp dưới</h3>
              <Field name="lcSerial" label="Số giấy chứng nhận" maxLength={40} defaultValue={lc.serial ?? ""} error={fields.serial} />
              <Field name="lcIssuer" label="Cơ quan cấp" maxLength={200} defaultValue={lc.issuer ?? ""} error={fields.issuer} />
              <Field name="lcDecisionNo" label="Số quyết định công nhận" maxLength={60} defaultValue={lc.decisionNo ?? ""} error={fields.decisionNo} />
              <Field name="lcYear" label="Năm cấp" inputMode="numeric" maxLength={4} defaultValue={lc.year ?? ""} error={fields.year} />
            </>
          ) : null}
        </fieldset>
        {editable ? (
          <div className="actions">
            <button type="submit" name="intent" value="save" className="btn secondary" disabled={busy}>
              Lưu bản nháp
            </button>
            <button type="submit" name="intent" value="submit" className="btn" disabled={busy} {...confirmAttrs(CONFIRM.submitEntry)}>
              {entry?.status === "returned" ? "Nộp lại hồ sơ" : "Nộp hồ sơ"}
            </button>
          </div>
        ) : (
          <p className="muted">{round.open ? "Hồ sơ đã nộp chỉ xem được; khi Ban tổ chức trả lại, bạn sửa và nộp lại." : "Đợt bình chọn hiện không nhận hồ sơ."}</p>
        )}
      </ConfirmForm>
      {canWithdraw ? (
        <ConfirmForm method="post" className="card" confirm={CONFIRM.withdrawEntry}>
          <input type="hidden" name="intent" value="withdraw" />
          <p className="muted">Rút hồ sơ khi chưa được thẩm định. Bạn có thể đăng ký lại khi đợt còn nhận hồ sơ.</p>
          <button type="submit" className="btn secondary small">
            Rút hồ sơ
          </button>
        </ConfirmForm>
      ) : null}
    </>
  );
}
