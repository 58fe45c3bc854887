import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { PhotoUploader } from "~/components/PhotoUploader";
import { deleteMedia, storeDocument, storePhoto } from "~/models/entry/media.server";
import { listOpenRounds, listProductEntries } from "~/models/entry/views.server";
import { listProductMedia, requireProductMember, updateProduct } from "~/models/facility/product.server";
import { listProductGroups } from "~/models/shared/reference.server";
import { DOC_TYPES, ENTRY_STATUS_NAMES, MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES, MIN_PHOTOS } from "~/schemas/dossier";
import { requirePermission } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { isAppError } from "~/utils/errors";
import { formatBytes, formatDateTime } from "~/utils/format";
import { confirmationStep, formFailure, orErrorPage, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage, toastDetails } from "~/utils/toast.server";
import { filesOf, readUploadForm } from "~/utils/uploads.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.product.name ?? "Sản phẩm"} — CNNT Tiêu biểu` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "product:manage");
  return orErrorPage(async () => {
    const { product, facility } = await requireProductMember({ userId: user.id, productId: Number(params.productId) });
    const [all, groups, open, mine] = await Promise.all([
      listProductMedia({ productId: product.id }),
      listProductGroups(),
      listOpenRounds(),
      listProductEntries({ productId: product.id }),
    ]);
    return json({
      product: { id: product.id, name: product.name, groupNo: product.groupNo, description: product.description, nameEn: product.nameEn, descriptionEn: product.descriptionEn },
      facility: { id: facility.id, name: facility.name },
      photos: all.filter((m) => m.kind === "photo").map((m) => ({ id: m.id, originalName: m.originalName, width: m.width, height: m.height })),
      documents: all.filter((m) => m.kind === "document").map((m) => ({ id: m.id, originalName: m.originalName, docType: m.docType, sizeBytes: m.sizeBytes })),
      groups,
      openRounds: open.map((r) => ({ slug: r.slug, title: r.title, closesAt: r.registrationClosesAt })),
      entries: mine,
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "product:manage");
  const productId = Number(params.productId);
  return withFormErrors(async () => {
    const { product } = await requireProductMember({ userId: user.id, productId });
    const form = await readUploadForm(request);
    const intent = form.get("intent");
    const ctx = { actorId: user.id, facilityId: product.facilityId, productId: product.id };
    switch (intent) {
      case "update":
        await updateProduct({
          actorId: user.id,
          productId,
          name: form.get("name"),
          groupNo: form.get("groupNo"),
          description: form.get("description"),
          nameEn: form.get("nameEn") ?? "",
          descriptionEn: form.get("descriptionEn") ?? "",
        });
        return redirectWithToast(samePage(request), { message: "Đã lưu sản phẩm." });
      case "photos": {
        const files = await filesOf(form, "photos");
        if (!files.length) return formFailure(400, "Vui lòng chọn ít nhất một ảnh.", { photos: "Vui lòng chọn ảnh." });
        let saved = 0;
        const errors: string[] = [];
        for (const f of files) {
          try {
            await storePhoto({ ...ctx, bytes: f.bytes, fileName: f.name });
            saved++;
          } catch (error) {
            if (!isAppError(error)) throw error;
            errors.push(error.message);
          }
        }
        if (!saved) return formFailure(400, errors.join(" "), { photos: errors.join(" ") });
        // Some photos of the batch may have been refused: the message names them.
        return redirectWithToast(samePage(request), { kind: errors.length ? "error" : "ok", message: `Đã lưu ${saved} ảnh.`, details: toastDetails(errors) });
      }
      case "photo": {
        // One photo per request, sent by the page's uploader with its own key (PhotoUploader).
        const [file] = await filesOf(form, "photo");
        if (!file) return formFailure(400, "Vui lòng chọn ảnh.", { photos: "Vui lòng chọn ảnh." });
        const saved = await storePhoto({ ...ctx, bytes: file.bytes, fileName: file.name, uploadKey: String(form.get("uploadKey") ?? "") });
        return json({ ok: true as const, message: `Đã lưu ảnh “${saved.originalName}”.`, errors: [] as string[], id: saved.id });
      }
      case "document": {
        const [file] = await filesOf(form, "document");
        if (!file) return formFailure(400, "Vui lòng chọn tệp PDF.", { document: "Vui lòng chọn tệp PDF." });
        await storeDocument({ ...ctx, bytes: file.bytes, fileName: file.name, docType: String(form.get("docType") ?? "") });
        return redirectWithToast(samePage(request), { message: "Đã lưu tài liệu." });
      }
      case "delete": {
        // Another product's file is not found here, before any confirmation is offered.
        const mediaId = String(form.get("mediaId") ?? "");
        if (!(await listProductMedia({ productId: product.id })).some((m) => m.id === mediaId)) return formFailure(404, "Không tìm thấy tệp.");
        const step = confirmationStep(form, CONFIRM.deleteFile);
        if (step) return step;
        await deleteMedia({ actorId: user.id, mediaId: String(form.get("mediaId") ?? "") });
        return redirectWithToast(samePage(request), { message: "Đã xoá tệp khỏi sản phẩm." });
      }
      default:
        return formFailure(400, "Thao tác không hợp lệ.");
    }
  });
}

export default function ProductPage() {
  const { product, facility, photos, documents, groups, openRounds, entries: mine } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const documentForm = useRef<HTMLFormElement>(null);
  // After a successful upload (the page's files are read again) the chosen files are cleared, so
  // pressing again does not upload twice; after a refusal the choice stays.
  useEffect(() => {
    documentForm.current?.reset();
  }, [documents]);
  const failed = data && "formError" in data ? data : null;
  const fields = failed ? failed.fields : {};
  return (
    <>
      <p>
        <Link to={`/facility/${facility.id}`}>← {facility.name}</Link>
      </p>
      <h1>{product.name}</h1>
      <FormFeedback result={data} />

      <section className="card">
        <h2>Tham gia bình chọn</h2>
        {mine.length ? (
          <ul>
            {mine.map((e) => (
              <li key={e.slug}>
                <Link to={`/facility/entry/${product.id}/${e.slug}`}>{e.title}</Link> — {ENTRY_STATUS_NAMES[e.status]} {e.code ? `(${e.code})` : ""}
              </li>
            ))}
          </ul>
        ) : null}
        {openRounds.filter((r) => !mine.some((e) => e.slug === r.slug)).length ? (
          <ul>
            {openRounds
              .filter((r) => !mine.some((e) => e.slug === r.slug))
              .map((r) => (
                <li key={r.slug}>
                  <Link to={`/facility/entry/${product.id}/${r.slug}`}>Đăng ký tham gia: {r.title}</Link>{" "}
                  <span className="muted">(hạn nộp {formatDateTime(r.closesAt)})</span>
                </li>
              ))}
          </ul>
        ) : mine.length ? null : (
          <p className="muted">Hiện không có đợt bình chọn nào đang nhận hồ sơ.</p>
        )}
      </section>

      <section className="card">
        <h2>
          Ảnh sản phẩm ({photos.length}/{MIN_PHOTOS} tối thiểu)
        </h2>
        <p className="hint">Ít nhất {MIN_PHOTOS} ảnh màu chụp từ các góc khác nhau (chính diện, bên cạnh, từ trên xuống). JPEG, PNG, WebP hoặc HEIC, mỗi ảnh dưới {formatBytes(MAX_PHOTO_BYTES)}. Vị trí GPS trong ảnh được xoá khi lưu.</p>
        <ul className="photo-grid" style={{ listStyle: "none", padding: 0, display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(140px, 1fr))", gap: ".75rem" }}>
          {photos.map((p) => (
            <li key={p.id}>
              <img src={`/files/${p.id}/320.jpg`} alt={`Ảnh ${p.originalName}`} width={160} style={{ width: "100%", height: "auto", borderRadius: ".375rem" }} loading="lazy" />
              <ConfirmForm method="post" encType="multipart/form-data" confirm={CONFIRM.deleteFile}>
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="mediaId" value={p.id} />
                <button type="submit" className="linklike" aria-label={`Xoá ảnh ${p.originalName}`}>
                  Xoá ảnh
                </button>
              </ConfirmForm>
            </li>
          ))}
        </ul>
        <PhotoUploader error={fields.photos} busy={busy} />
      </section>

      <section className="card">
        <h2>Tài liệu (PDF)</h2>
        {documents.length ? (
          <ul>
            {documents.map((d) => (
              <li key={d.id}>
                <a href={`/files/${d.id}/document`}>{d.originalName}</a> — {DOC_TYPES[d.docType as keyof typeof DOC_TYPES] ?? d.docType} ({formatBytes(d.sizeBytes)}){" "}
                <ConfirmForm method="post" encType="multipart/form-data" className="inline-form" confirm={CONFIRM.deleteFile}>
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="mediaId" value={d.id} />
                  <button type="submit" className="linklike" aria-label={`Xoá ${d.originalName}`}>
                    Xoá
                  </button>
                </ConfirmForm>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có tài liệu.</p>
        )}
        <Form method="post" encType="multipart/form-data" className="stack" ref={documentForm}>
          <input type="hidden" name="intent" value="document" />
          <Field name="docType" label="Loại tài liệu" error={fields.docType}>
            <select id="f-docType" name="docType" defaultValue="business_registration">
              {Object.entries(DOC_TYPES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field name="document" label="Tệp PDF" error={fields.document} hint={`Chỉ nhận PDF, dưới ${formatBytes(MAX_DOCUMENT_BYTES)}.`}>
            <input id="f-document" type="file" name="document" accept="application/pdf,.pdf" />
          </Field>
          <div className="actions">
            <button type="submit" className="btn secondary" disabled={busy}>
              Tải tài liệu lên
            </button>
          </div>
        </Form>
      </section>

      <section className="card">
        <h2>Thông tin sản phẩm</h2>
        <Form method="post" encType="multipart/form-data" className="stack" noValidate>
          <input type="hidden" name="intent" value="update" />
          <Field name="name" label="Tên sản phẩm" required maxLength={200} defaultValue={product.name} error={fields.name} />
          <Field name="groupNo" label="Nhóm sản phẩm" required error={fields.groupNo}>
            <select id="f-groupNo" name="groupNo" defaultValue={product.groupNo}>
              {groups.map((g) => (
                <option key={g.no} value={g.no}>
                  {g.no}. {g.name}
                </option>
              ))}
            </select>
          </Field>
          <Field name="description" label="Mô tả" required error={fields.description}>
            <textarea id="f-description" name="description" maxLength={5000} defaultValue={product.description} />
          </Field>
          <fieldset className="stack">
            <legend>Tiếng Anh (không bắt buộc)</legend>
            <p className="hint">
              Hiện trên trang tiếng Anh của sản phẩm đã được công nhận (/en/products/…), kèm ghi chú “Provided by the facility”. Giấy chứng
              nhận và hồ sơ dự thi vẫn bằng tiếng Việt.
            </p>
            <Field name="nameEn" label="Tên sản phẩm bằng tiếng Anh" maxLength={200} defaultValue={product.nameEn ?? ""} error={fields.nameEn} />
            <Field name="descriptionEn" label="Mô tả bằng tiếng Anh" error={fields.descriptionEn}>
              <textarea
                id="f-descriptionEn"
                name="descriptionEn"
                lang="en"
                maxLength={5000}
                defaultValue={product.descriptionEn ?? ""}
                aria-invalid={fields.descriptionEn ? true : undefined}
                aria-describedby={fields.descriptionEn ? "f-descriptionEn-error" : undefined}
              />
            </Field>
          </fieldset>
          <div className="actions">
            <button type="submit" className="btn secondary">
              Lưu sản phẩm
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
