import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment, useState, type FormEvent } from "react";
import { z } from "zod";

import { ConfirmForm, confirmAttrs, FormFeedback } from "~/components/Confirm";
import { DossierEvidence, type EvidenceSnapshot } from "~/components/DossierEvidence";
import { declareConflict } from "~/models/council/council.server";
import { isPublicEntry } from "~/models/entry/rules";
import type { StoredCriterion } from "~/models/round/rubric.server";
import { canDeclareLateConflict, isJudging, isScoringOpen } from "~/models/round/rules";
import { liveTotal, type LiveTotal } from "~/models/scoring/rules";
import { getSheetForJuror, saveScoreSheet } from "~/models/scoring/scoring.server";
import { DOSSIER_FIELDS } from "~/schemas/dossier";
import juryStyles from "~/styles/jury.css";
import { requirePermission } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { formatDateTime, formatNumber } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Phiếu chấm điểm: ${data?.productName ?? ""} — CNNT Tiêu biểu` },
];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: juryStyles }];

const IdSchema = z.coerce.number().int().positive();

function entryIdOf(params: Record<string, string | undefined>) {
  const parsed = IdSchema.safeParse(params.entryId);
  if (!parsed.success) throw new Response("Không tìm thấy hồ sơ.", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "score:entry");
  const entryId = entryIdOf(params);
  const data = await orErrorPage(() => getSheetForJuror({ jurorId: user.id, entryId }));
  const open = isScoringOpen(data.round);
  // After submitting (or once scoring closed) a declaration is a request the organiser decides.
  const canDeclareLate = canDeclareLateConflict(data.round);
  // The files a juror may open (mediaAccess): every file of the snapshot while the round is scored
  // or deliberated; afterwards only what the public sees (the photos of a recognised entry).
  const judging = isJudging(data.round);
  const files = {
    documents: judging,
    photos: judging || isPublicEntry(data.entry, data.round),
  };
  return json({
    canDeclareLate,
    files,
    roundTitle: data.round.title,
    scoringClosesAt: data.round.scoringClosesAt,
    scoreStep: Number(data.round.scoreStep),
    entry: { id: data.entry.id, code: data.entry.code, groupNo: data.entry.groupNo, snapshot: data.entry.snapshot },
    productName: data.productName,
    lowerCertificateCode: data.lowerCertificateCode,
    groupName: data.groupName,
    rubric: data.rubric,
    juror: data.juror,
    sheet: data.sheet
      ? {
          status: data.sheet.status,
          total: Number(data.sheet.total),
          comment: data.sheet.comment,
          submittedAt: data.sheet.submittedAt,
        }
      : null,
    scores: data.scores,
    open,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "score:entry");
  const entryId = entryIdOf(params);
  const formData = await readForm(request);
  const form = formObject(formData);
  return withFormErrors(async () => {
    if (form.intent === "conflict") {
      const step = confirmationStep(formData, CONFIRM.declareConflict);
      if (step) return step;
      const r = await declareConflict({ jurorId: user.id, entryId, reason: String(form.reason ?? "") });
      // The entry is no longer the juror's to score: the list is where they continue.
      return redirectWithToast("/jury", {
        message: r.pendingDecision
          ? "Đã ghi nhận khai báo xung đột lợi ích. Phiếu bạn đã nộp vẫn được tính cho đến khi ban tổ chức quyết định."
          : "Đã ghi nhận khai báo xung đột lợi ích. Hồ sơ này không còn trong danh sách chấm của bạn.",
      });
    }
    if (form.intent === "save" || form.intent === "submit") {
      if (form.intent === "submit" && form.confirm !== "1") {
        // The entry must be the juror's before anything is asked (another juror's answers 404). A
        // confirmed submit skips this read (7 queries): saveScoreSheet checks the same in its
        // transaction and answers the same 404 (issue 18, item 5).
        await getSheetForJuror({ jurorId: user.id, entryId });
        const step = confirmationStep(formData, CONFIRM.submitSheet);
        if (step) return step;
      }
      const points: Record<string, unknown> = {};
      const notes: Record<string, string> = {};
      for (const [k, v] of Object.entries(form)) {
        if (k.startsWith("p.")) points[k.slice(2)] = v;
        if (k.startsWith("n.")) notes[k.slice(2)] = String(v ?? "");
      }
      const r = await saveScoreSheet({
        jurorId: user.id,
        entryId,
        points,
        notes,
        comment: String(form.comment ?? ""),
        submit: form.intent === "submit",
      });
      return redirectWithToast(samePage(request), {
        message:
          r.status === "submitted"
            ? `Đã nộp phiếu chấm (tổng ${formatNumber(r.total, 1)} điểm). Phiếu đã được khóa.`
            : `Đã lưu nháp (tổng tạm tính ${formatNumber(r.total, 1)} điểm).`,
      });
    }
    // An entry the juror may not see answers 404 even to a malformed form.
    await getSheetForJuror({ jurorId: user.id, entryId });
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

const fmt = (n: number) => String(n).replace(".", ",");

/**
 * The rubric as blocks, not a table: each criterion shows its name and maximum, then (for a scored
 * leaf) the points box and the note, so a 360 px phone reads it without sideways scrolling.
 */
function CriterionBlocks(props: {
  nodes: StoredCriterion[];
  depth: number;
  scores: Record<number, { points: number; note: string }>;
  locked: boolean;
  errors: Record<string, string>;
  liveErrors: Record<string, string>;
}) {
  return (
    <>
      {props.nodes.map((n) => {
        const leaf = n.children.length === 0;
        const err = props.errors[`points.${n.id}`] ?? props.liveErrors[`p.${n.id}`];
        const nameId = `c-${n.id}-name`;
        return (
          <Fragment key={n.id}>
            <div className={`crit depth-${Math.min(props.depth, 3)}${leaf ? " leaf" : " group"}`} data-testid={leaf ? "criterion" : undefined}>
              <div className="crit-head">
                <span className="crit-name" id={nameId}>
                  {n.code}. {n.name}
                </span>
                <span className="crit-max">tối đa {fmt(n.maxPoints)}</span>
              </div>
              {leaf ? (
                <div className="crit-fields">
                  <div>
                    <label htmlFor={`p-${n.id}`}>Điểm</label>
                    <input
                      id={`p-${n.id}`}
                      name={`p.${n.id}`}
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      data-max={n.maxPoints}
                      defaultValue={props.scores[n.id] ? fmt(props.scores[n.id].points) : ""}
                      disabled={props.locked}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${nameId} p-${n.id}-error` : nameId}
                    />
                  </div>
                  <div>
                    <label htmlFor={`n-${n.id}`}>Ghi chú</label>
                    <input
                      id={`n-${n.id}`}
                      name={`n.${n.id}`}
                      type="text"
                      aria-describedby={nameId}
                      defaultValue={props.scores[n.id]?.note ?? ""}
                      disabled={props.locked}
                      maxLength={500}
                    />
                  </div>
                  {err ? (
                    <p className="field-error" id={`p-${n.id}-error`}>
                      {err}
                    </p>
                  ) : null}
                </div>
              ) : null}
            </div>
            <CriterionBlocks {...props} nodes={n.children} depth={props.depth + 1} />
          </Fragment>
        );
      })}
    </>
  );
}

export default function ScoreSheet() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const locked = data.sheet?.status === "submitted" || !data.open;
  const [live, setLive] = useState<LiveTotal | null>(null);
  const errors = result && "fields" in result ? result.fields : {};
  const onInput = (e: FormEvent<HTMLFormElement>) => {
    const boxes = Array.from(e.currentTarget.querySelectorAll<HTMLInputElement>("input[data-max]")).map((el) => ({
      key: el.name,
      raw: el.value,
      max: Number(el.dataset.max),
    }));
    setLive(liveTotal(boxes, data.scoreStep));
  };
  const liveErrors = Object.fromEntries((live?.invalid ?? []).map((i) => [i.key, i.message]));
  const snap = (data.entry.snapshot ?? {}) as EvidenceSnapshot & {
    dossier?: Record<string, string>;
    facility?: { name?: string; legacyProvinceName?: string | null; provinceName?: string };
    product?: { description?: string };
  };
  const total = live?.total ?? data.sheet?.total ?? 0;
  const invalidCount = live?.invalid.length ?? 0;
  return (
    <>
      <p className="no-print">
        <Link to="/jury">← Danh sách chấm điểm</Link>
      </p>
      <h1>Phiếu chấm điểm sản phẩm</h1>
      <FormFeedback result={result} />
      <div className="jury-layout">
        <section className="card" aria-labelledby="sheet">
          <h2 id="sheet" className="visually-hidden">
            Phiếu chấm
          </h2>
          <dl>
            <dt>Hội đồng</dt>
            <dd>{data.roundTitle}</dd>
            <dt>Tên sản phẩm</dt>
            <dd>
              <strong>{data.productName}</strong>
            </dd>
            <dt>Nhóm sản phẩm</dt>
            <dd>
              {data.entry.groupNo}. {data.groupName}
            </dd>
            <dt>Mã số bình chọn</dt>
            <dd>{data.entry.code}</dd>
            <dt>Giám khảo</dt>
            <dd>
              {data.juror?.fullName}
              {data.juror?.title ? `, ${data.juror.title}` : ""}
            </dd>
          </dl>
          {data.sheet?.status === "submitted" ? (
            <p className="alert ok">Phiếu đã nộp lúc {formatDateTime(data.sheet.submittedAt)} và đã khóa.</p>
          ) : null}
          {!data.open && data.sheet?.status !== "submitted" ? (
            <p className="alert info">Đợt không còn trong thời gian chấm điểm (hạn {formatDateTime(data.scoringClosesAt)}).</p>
          ) : null}
          <ConfirmForm method="post" onInput={onInput} noValidate>
            <p className="hint">
              {data.scoreStep === 1
                ? "Điểm từ 0 đến mức tối đa của tiêu chí, theo bước 1 điểm (số nguyên, ví dụ 7 hoặc 8)."
                : "Điểm từ 0 đến mức tối đa của tiêu chí, theo bước 0,5 (ví dụ 7 hoặc 7,5)."}
            </p>
            <div className="sheet" data-testid="score-sheet">
              <CriterionBlocks nodes={data.rubric} depth={0} scores={data.scores} locked={locked} errors={errors} liveErrors={liveErrors} />
            </div>
            <div className="sheet-total">
              <span>Tổng cộng (tối đa 100)</span>
              <output aria-live="polite" id="total" data-invalid={invalidCount ? "true" : undefined}>
                {formatNumber(total, 1)}
              </output>
            </div>
            {invalidCount ? (
              <p className="field-error" role="alert" data-testid="total-warning">
                {invalidCount === 1 ? "Một ô điểm" : `${invalidCount} ô điểm`} không hợp lệ nên chưa được cộng vào tổng; hãy sửa các ô được đánh dấu đỏ.
              </p>
            ) : null}
            <label htmlFor="comment">Nhận xét</label>
            <textarea id="comment" name="comment" rows={4} defaultValue={data.sheet?.comment ?? ""} disabled={locked} maxLength={4000} />
            {!locked ? (
              <div className="actions" style={{ marginTop: ".75rem" }}>
                <button className="btn secondary" type="submit" name="intent" value="save">
                  Lưu nháp
                </button>
                <button className="btn" type="submit" name="intent" value="submit" {...confirmAttrs(CONFIRM.submitSheet)}>
                  Nộp phiếu (khóa)
                </button>
              </div>
            ) : null}
          </ConfirmForm>
        </section>
        <section className="card" aria-labelledby="dossier">
          <h2 id="dossier">Hồ sơ như đã nộp</h2>
          {snap.facility?.name ? (
            <p>
              {snap.facility.name} – {snap.facility.legacyProvinceName ?? snap.facility.provinceName}
            </p>
          ) : null}
          {snap.product?.description ? <p>{snap.product.description}</p> : null}
          <DossierEvidence snapshot={snap} productName={data.productName} lowerCertificateCode={data.lowerCertificateCode} files={data.files} />
          <h3>Thông tin hồ sơ</h3>
          <dl>
            {DOSSIER_FIELDS.filter((f) => snap.dossier?.[f.name]).map((f) => (
              <Fragment key={f.name}>
                <dt>{f.label}</dt>
                <dd style={{ whiteSpace: "pre-line" }}>{snap.dossier?.[f.name]}</dd>
              </Fragment>
            ))}
          </dl>
          {(data.sheet?.status !== "submitted" && data.open) || data.canDeclareLate ? (
            <details>
              <summary>Khai báo xung đột lợi ích với hồ sơ này</summary>
              {data.sheet?.status === "submitted" || !data.open ? (
                <p className="hint">Phiếu đã nộp vẫn được tính cho đến khi ban tổ chức quyết định, có ghi lý do.</p>
              ) : null}
              <ConfirmForm method="post" className="stack" confirm={CONFIRM.declareConflict}>
                <input type="hidden" name="intent" value="conflict" />
                <label htmlFor="reason">Lý do (ví dụ: người thân làm việc tại cơ sở)</label>
                <textarea id="reason" name="reason" rows={2} required minLength={5} />
                <div>
                  <button className="btn secondary small" type="submit">
                    Khai báo và rút khỏi chấm hồ sơ này
                  </button>
                </div>
              </ConfirmForm>
            </details>
          ) : null}
        </section>
      </div>
    </>
  );
}
