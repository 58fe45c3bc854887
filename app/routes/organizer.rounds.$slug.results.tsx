import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { TieCard } from "~/components/results/TieCard";
import { RoundNav } from "~/components/RoundNav";
import { SheetDecisions } from "~/components/SheetDecisions";
import { capacityFromTitle } from "~/models/certificate/document-rules";
import {
  advisoryZScores,
  computeResults,
  verifyFinalHash,
  finaliseRound,
  publishRound,
  recordDecision,
  reopenRound,
  resolveTie,
  unsubmittedSheets,
} from "~/models/results/results.server";
import { canFinalise, canPublish, STATUS_NAMES } from "~/models/round/rules";
import { decideSheet, listSheetDecisions } from "~/models/scoring/sheet-decisions.server";
import { CONFIRM } from "~/utils/confirm";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { confirmationStep, formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Kết quả — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const [results, z, missing, decisions] = await Promise.all([
    computeResults({ roundId: round.id }),
    advisoryZScores(round.id),
    unsubmittedSheets(round.id),
    listSheetDecisions(round.id),
  ]);
  const hashOk = round.finalHash ? await verifyFinalHash(round.id) : null;
  return json({
    round: { ...round, statusName: STATUS_NAMES[round.status] },
    entries: results.entries,
    tie: results.tie,
    resolutions: results.resolutions,
    z,
    missing: missing.length,
    decisions,
    hashOk,
    canFinalise: canFinalise(round),
    canPublish: canPublish(round),
  });
}

const DecisionSchema = z.object({
  decisionNo: z.string().trim().min(1, "Nhập số quyết định."),
  decisionDate: z.string().trim().min(1, "Nhập ngày quyết định."),
  decisionSigner: z.string().trim().min(1, "Nhập người ký."),
  decisionSignerName: z.string().trim().max(200, "Họ tên người ký quá dài.").optional(),
  decisionSignerCapacity: z.string().trim().max(400, "Thẩm quyền ký quá dài.").optional(),
});
const SheetDecisionSchema = z.object({
  decisionId: z.coerce.number().int().positive(),
  apply: z.enum(["0", "1"], { message: "Chọn tính hay không tính phiếu." }),
  reason: z.string().trim().min(10, "Ghi lý do quyết định (ít nhất 10 ký tự)."),
});
const TieSchema = z.object({
  selectedEntryIds: z.array(z.coerce.number().int().positive()).min(1, "Chọn sản phẩm được công nhận."),
  reason: z.string().trim().min(10, "Ghi lý do quyết định của hội đồng (ít nhất 10 ký tự)."),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:publish");
  const formData = await readForm(request);
  const form = formObject(formData, ["selectedEntryIds"]);
  const done = (message: string) => redirectWithToast(samePage(request), { message });
  return withFormErrors(async () => {
    switch (form.intent) {
      case "finalise": {
        const step = confirmationStep(formData, CONFIRM.finalise);
        if (step) return step;
        const r = await finaliseRound({ roundId: round.id, actorId: user.id });
        return done(`Đã chốt kết quả: ${r.selected} sản phẩm được công nhận. Mã băm: ${r.hash}`);
      }
      case "decide-sheet": {
        const parsed = parseForm(SheetDecisionSchema, form, "Ghi lý do quyết định về phiếu chấm.");
        if (!parsed.ok) return invalid(parsed);
        const r = await decideSheet({
          roundId: round.id,
          actorId: user.id,
          decisionId: parsed.data.decisionId,
          apply: parsed.data.apply === "1",
          reason: parsed.data.reason,
        });
        return done(r.counted ? "Đã ghi quyết định: phiếu được tính." : "Đã ghi quyết định: phiếu không được tính.");
      }
      case "resolve-tie": {
        const parsed = parseForm(TieSchema, form, "Vui lòng chọn sản phẩm và ghi lý do.");
        if (!parsed.ok) return invalid(parsed);
        const step = confirmationStep(formData, CONFIRM.resolveTie);
        if (step) return step;
        await resolveTie({ roundId: round.id, actorId: user.id, ...parsed.data });
        return done("Đã ghi nhận quyết định của hội đồng về trường hợp đồng điểm.");
      }
      case "decision": {
        const parsed = parseForm(DecisionSchema, form, "Vui lòng nhập đủ thông tin quyết định.");
        if (!parsed.ok) return invalid(parsed);
        await recordDecision({ roundId: round.id, actorId: user.id, ...parsed.data });
        return done("Đã ghi nhận quyết định công nhận.");
      }
      case "publish": {
        const step = confirmationStep(formData, CONFIRM.publish);
        if (step) return step;
        const r = await publishRound({ roundId: round.id, actorId: user.id });
        return done(`Đã công bố kết quả và cấp ${r.certificates} giấy chứng nhận.`);
      }
      case "reopen": {
        const reason = String(form.reason ?? "");
        const step = confirmationStep(formData, CONFIRM.reopen);
        if (step) return step;
        await reopenRound({ roundId: round.id, actorId: user.id, reason });
        return done("Đã mở lại đợt bình chọn. Lý do đã được ghi vào nhật ký.");
      }
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

const n1 = (v: number | null) => (v == null ? "—" : formatNumber(v, 2));

export default function ResultsPage() {
  const { round, entries, tie, resolutions, z, missing, decisions, hashOk, canFinalise, canPublish } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = result && "fields" in result ? result.fields : {};
  const finalised = !!round.finalisedAt;
  const selected = entries.filter((e) => e.selected).length;
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      {hashOk === false ? (
        <div className="alert error" role="alert">
          Mã băm kết quả không khớp với bảng điểm đã chốt: dữ liệu có thể đã bị sửa ngoài ứng dụng. Không công bố; báo quản trị
          viên (trang Kiểm tra toàn vẹn).
        </div>
      ) : null}
      <SheetDecisions items={decisions} editable={!finalised} error={fields.reason} />
      <section className="card">
        <h2>Kết quả {finalised ? "đã chốt" : "tạm tính"}</h2>
        <p>
          Điểm của sản phẩm là trung bình cộng tổng điểm các phiếu <strong>đã nộp và được tính</strong>; một phiếu chỉ thôi được
          tính khi ban tổ chức quyết định, có ghi lý do. Đạt khi điểm trung bình ≥ {formatNumber(Number(round.passMark), 1)}
          {round.quota ? `; công nhận tối đa ${round.quota} sản phẩm` : ""}. Hiện có <strong>{selected}</strong> sản phẩm được
          công nhận
          {missing ? `, còn ${missing} phiếu chưa nộp` : ""}.
        </p>
        <p className="actions no-print">
          <a className="btn secondary small" href={`/organizer/rounds/${round.slug}/export?table=results&format=xlsx`} download>
            Tải bảng kết quả (XLSX)
          </a>
          <a className="btn secondary small" href={`/organizer/rounds/${round.slug}/export?table=results&format=csv`} download>
            Bảng kết quả (CSV)
          </a>
          <a className="btn secondary small" href={`/organizer/rounds/${round.slug}/export?table=sheets&format=xlsx`} download>
            Phiếu chấm của giám khảo (XLSX)
          </a>
          <a className="btn secondary small" href={`/organizer/rounds/${round.slug}/export?table=sheets&format=csv`} download>
            Phiếu chấm (CSV)
          </a>
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Hạng
                </th>
                <th scope="col">Mã</th>
                <th scope="col">Sản phẩm / cơ sở</th>
                <th scope="col" className="num">
                  Nhóm (hạng)
                </th>
                <th scope="col" className="num">
                  Số phiếu
                </th>
                <th scope="col" className="num">
                  Trung bình
                </th>
                <th scope="col" className="num">
                  Trung vị
                </th>
                <th scope="col" className="num">
                  Thấp – cao
                </th>
                <th scope="col" className="num">
                  Độ lệch chuẩn
                </th>
                <th scope="col" className="num" title="Tham khảo, không ảnh hưởng kết quả">
                  z (tham khảo)
                </th>
                <th scope="col">Kết quả</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.entryId}>
                  <td className="num">{e.rank ?? "—"}</td>
                  <td>{e.code}</td>
                  <td>
                    {e.productName}
                    <br />
                    <span className="hint">
                      {e.facilityName} – {e.provinceName}
                    </span>
                  </td>
                  <td className="num">
                    {e.groupNo} ({e.groupRank ?? "—"})
                  </td>
                  <td className="num">{e.n}</td>
                  <td className="num">
                    <strong>{n1(e.mean)}</strong>
                  </td>
                  <td className="num">{n1(e.median)}</td>
                  <td className="num">
                    {n1(e.min)} – {n1(e.max)}
                  </td>
                  <td className="num">{n1(e.stdDev)}</td>
                  <td className="num">{z.entryZ[e.entryId] == null ? "—" : formatNumber(z.entryZ[e.entryId], 2)}</td>
                  <td>
                    {e.selected ? (
                      <span className="badge ok">Được công nhận</span>
                    ) : e.passed ? (
                      <span className="badge warn">Đạt, ngoài chỉ tiêu</span>
                    ) : (
                      <span className="badge">Không đạt</span>
                    )}{" "}
                    {e.tiedAtBoundary ? <span className="badge bad">Đồng điểm tại ranh giới</span> : null}{" "}
                    {e.disagreement ? <span className="badge warn">Giám khảo chênh lệch lớn</span> : null}
                    {e.excludedNote ? (
                      <div className="hint" data-testid="excluded-note">
                        {e.excludedNote}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <TieCard tie={tie} resolutions={resolutions} entries={entries} finalised={finalised} reasonError={fields.reason} />

      <section className="card no-print" aria-labelledby="steps">
        <h2 id="steps">Chốt, quyết định và công bố</h2>
        {canFinalise ? (
          <ConfirmForm method="post" confirm={CONFIRM.finalise}>
            <input type="hidden" name="intent" value="finalise" />
            <p className="hint">
              Sau khi chốt, mọi phiếu chấm, điểm, trạng thái hồ sơ và thang điểm bị khóa trong cơ sở dữ liệu.
            </p>
            <button className="btn" type="submit">
              Chốt kết quả
            </button>
          </ConfirmForm>
        ) : null}
        {canPublish ? (
          <>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="decision" />
              <Field
                name="decisionNo"
                label="Số quyết định công nhận"
                required
                defaultValue={round.decisionNo ?? ""}
                hint="Ví dụ 1234/QĐ-CNĐP"
                error={fields.decisionNo}
              />
              <Field
                name="decisionDate"
                label="Ngày quyết định"
                type="date"
                required
                defaultValue={round.decisionDate ?? ""}
                error={fields.decisionDate}
              />
              <Field
                name="decisionSigner"
                label="Chức danh người ký"
                required
                defaultValue={round.decisionSigner ?? ""}
                hint="Ví dụ Cục trưởng Cục Công nghiệp địa phương; Phó Chủ tịch UBND tỉnh Thái Nguyên"
                error={fields.decisionSigner}
              />
              <Field
                name="decisionSignerName"
                label="Họ tên người ký"
                defaultValue={round.decisionSignerName ?? ""}
                hint="In dưới chữ ký trên giấy chứng nhận, ví dụ Nguyễn Văn A"
                maxLength={80}
                error={fields.decisionSignerName}
              />
              <Field
                name="decisionSignerCapacity"
                label="Thẩm quyền ký (in trên chữ ký)"
                hint="Mỗi dòng một ý, ví dụ TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, hoặc CỤC TRƯỞNG. Để trống: theo chức danh người ký."
                error={fields.decisionSignerCapacity}
              >
                <textarea
                  id="f-decisionSignerCapacity"
                  name="decisionSignerCapacity"
                  rows={3}
                  maxLength={400}
                  defaultValue={round.decisionSignerCapacity ?? capacityFromTitle(round.decisionSigner).join("\n")}
                  aria-describedby={`f-decisionSignerCapacity-hint${fields.decisionSignerCapacity ? " f-decisionSignerCapacity-error" : ""}`}
                  aria-invalid={fields.decisionSignerCapacity ? true : undefined}
                />
              </Field>
              <div>
                <button className="btn secondary" type="submit">
                  Lưu quyết định
                </button>
              </div>
            </Form>
            {round.decisionNo ? (
              <ConfirmForm method="post" style={{ marginTop: "1rem" }} confirm={CONFIRM.publish}>
                <input type="hidden" name="intent" value="publish" />
                <p>
                  Quyết định số {round.decisionNo} ngày {formatDate(round.decisionDate)}. Công bố sẽ công khai danh sách và cấp
                  giấy chứng nhận cho từng sản phẩm được công nhận.
                </p>
                <button className="btn" type="submit">
                  Công bố kết quả
                </button>
              </ConfirmForm>
            ) : null}
          </>
        ) : null}
        {round.status === "published" ? <p className="alert ok">Đã công bố lúc {formatDateTime(round.publishedAt)}.</p> : null}
        {finalised ? (
          <ConfirmForm method="post" className="stack" style={{ marginTop: "1rem" }} confirm={CONFIRM.reopen}>
            <input type="hidden" name="intent" value="reopen" />
            <Field name="reason" label="Mở lại đợt (ghi nhật ký): lý do" required error={fields.reason} />
            <div>
              <button className="btn secondary" type="submit">
                Mở lại đợt
              </button>
            </div>
          </ConfirmForm>
        ) : null}
      </section>

      {z.jurors.length ? (
        <details className="card">
          <summary>Điểm chuẩn hóa theo giám khảo (tham khảo, không thay đổi kết quả)</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Giám khảo</th>
                <th scope="col" className="num">
                  Số phiếu
                </th>
                <th scope="col" className="num">
                  Trung bình
                </th>
                <th scope="col" className="num">
                  Độ lệch chuẩn
                </th>
              </tr>
            </thead>
            <tbody>
              {z.jurors.map((j) => (
                <tr key={j.id}>
                  <td>{j.name}</td>
                  <td className="num">{j.n}</td>
                  <td className="num">{formatNumber(j.mean, 2)}</td>
                  <td className="num">{formatNumber(j.sd, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </>
  );
}
