import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment, useState, type FormEvent } from "react";
import { z } from "zod";

import { declareConflict } from "~/models/council.server";
import type { StoredCriterion } from "~/models/rubric.server";
import { getSheetForJuror, saveScoreSheet } from "~/models/scoring.server";
import { DOSSIER_FIELDS } from "~/schemas/dossier";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { formFailure, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { fallbackVariant, mediaUrl, type MediaVariant } from "~/utils/media-urls";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Phiếu chấm điểm: ${data?.productName ?? ""} — CNNT Tiêu biểu` },
];

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
  const open = data.round.status === "scoring" && !data.round.finalisedAt && new Date() <= new Date(data.round.scoringClosesAt);
  // After submitting (or once scoring closed) a declaration is a request the organiser decides.
  const canDeclareLate = !data.round.finalisedAt && ["scoring", "deliberation"].includes(data.round.status);
  return json({
    canDeclareLate,
    roundTitle: data.round.title,
    scoringClosesAt: data.round.scoringClosesAt,
    entry: { id: data.entry.id, code: data.entry.code, groupNo: data.entry.groupNo, snapshot: data.entry.snapshot },
    productName: data.productName,
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
  const form = formObject(await readForm(request));
  return withFormErrors(async () => {
    if (form.intent === "conflict") {
      const r = await declareConflict({ jurorId: user.id, entryId, reason: String(form.reason ?? "") });
      return json({
        ok: true as const,
        message: r.pendingDecision
          ? "Đã ghi nhận khai báo xung đột lợi ích. Phiếu bạn đã nộp vẫn được tính cho đến khi ban tổ chức quyết định."
          : "Đã ghi nhận khai báo xung đột lợi ích. Hồ sơ này không còn trong danh sách chấm của bạn.",
        gone: true,
      });
    }
    if (form.intent === "save" || form.intent === "submit") {
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
      return json({
        ok: true as const,
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

function CriterionRows(props: {
  nodes: StoredCriterion[];
  depth: number;
  scores: Record<number, { points: number; note: string }>;
  locked: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  return (
    <>
      {props.nodes.map((n) => {
        const leaf = n.children.length === 0;
        const err = props.errors[`points.${n.id}`];
        return (
          <Fragment key={n.id}>
            <tr>
              <td style={{ paddingLeft: `${props.depth * 1.1 + 0.4}rem`, fontWeight: props.depth === 0 ? 700 : 400 }}>
                <label htmlFor={leaf ? `p-${n.id}` : undefined}>
                  {n.code}. {n.name}
                </label>
                {err ? (
                  <p className="field-error" id={`p-${n.id}-error`}>
                    {err}
                  </p>
                ) : null}
              </td>
              <td className="num">{fmt(n.maxPoints)}</td>
              <td className="num">
                {leaf ? (
                  <input
                    id={`p-${n.id}`}
                    name={`p.${n.id}`}
                    inputMode="decimal"
                    autoComplete="off"
                    data-max={n.maxPoints}
                    defaultValue={props.values[`p.${n.id}`] ?? (props.scores[n.id] ? fmt(props.scores[n.id].points) : "")}
                    disabled={props.locked}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `p-${n.id}-error` : undefined}
                    style={{ width: "5rem", fontSize: "1.1rem", textAlign: "right" }}
                  />
                ) : null}
              </td>
              <td>
                {leaf ? (
                  <input
                    name={`n.${n.id}`}
                    aria-label={`Ghi chú ${n.code}`}
                    defaultValue={props.scores[n.id]?.note ?? ""}
                    disabled={props.locked}
                    maxLength={500}
                    style={{ width: "100%" }}
                  />
                ) : null}
              </td>
            </tr>
            <CriterionRows {...props} nodes={n.children} depth={props.depth + 1} />
          </Fragment>
        );
      })}
    </>
  );
}

/** After a declaration the entry is closed to the juror: keep the confirmation instead of reloading into a 404. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { gone?: boolean } | undefined)?.gone ? false : defaultShouldRevalidate;

export default function ScoreSheet() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    { formError?: string; message?: string; gone?: boolean; fields?: Record<string, string> } | undefined;
  const locked = data.sheet?.status === "submitted" || !data.open;
  const [live, setLive] = useState<number | null>(null);
  const errors = result?.fields ?? {};
  if (result?.gone) {
    return (
      <>
        <div className="alert ok" role="status">
          {result.message}
        </div>
        <Link to="/jury">← Về danh sách chấm điểm</Link>
      </>
    );
  }
  const onInput = (e: FormEvent<HTMLFormElement>) => {
    let sum = 0;
    for (const el of Array.from(e.currentTarget.querySelectorAll<HTMLInputElement>("input[data-max]"))) {
      const v = Number(el.value.replace(",", "."));
      if (Number.isFinite(v)) sum += Math.round(v * 2);
    }
    setLive(sum / 2);
  };
  const snap = (data.entry.snapshot ?? {}) as {
    dossier?: Record<string, string>;
    photos?: { id: string; variants: MediaVariant[] }[];
    facility?: { name?: string; legacyProvinceName?: string | null; provinceName?: string };
    product?: { description?: string };
  };
  const total = live ?? data.sheet?.total ?? 0;
  return (
    <>
      <p className="no-print">
        <Link to="/jury">← Danh sách chấm điểm</Link>
      </p>
      <h1>Phiếu chấm điểm sản phẩm</h1>
      {result?.formError ? (
        <div className="alert error" role="alert">
          {result.formError}
        </div>
      ) : result?.message ? (
        <div className="alert ok" role="status">
          {result.message}
        </div>
      ) : null}
      <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 26rem), 1fr))" }}>
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
          <Form method="post" onInput={onInput} noValidate>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Tiêu chí</th>
                    <th scope="col" className="num">
                      Điểm tối đa
                    </th>
                    <th scope="col" className="num">
                      Điểm bình chọn
                    </th>
                    <th scope="col">Ghi chú</th>
                  </tr>
                </thead>
                <tbody>
                  <CriterionRows nodes={data.rubric} depth={0} scores={data.scores} locked={locked} errors={errors} values={{}} />
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Tổng cộng</th>
                    <td className="num">100</td>
                    <td className="num">
                      <output aria-live="polite" id="total" style={{ fontSize: "1.2rem", fontWeight: 700 }}>
                        {formatNumber(total, 1)}
                      </output>
                    </td>
                    <td />
                  </tr>
                </tfoot>
              </table>
            </div>
            <p className="hint">Điểm từ 0 đến mức tối đa của tiêu chí, theo bước 0,5 (ví dụ 7 hoặc 7,5).</p>
            <label htmlFor="comment">Nhận xét</label>
            <textarea
              id="comment"
              name="comment"
              rows={4}
              defaultValue={data.sheet?.comment ?? ""}
              disabled={locked}
              style={{ width: "100%" }}
              maxLength={4000}
            />
            {!locked ? (
              <div className="actions" style={{ marginTop: ".75rem" }}>
                <button className="btn secondary" type="submit" name="intent" value="save">
                  Lưu nháp
                </button>
                <button className="btn" type="submit" name="intent" value="submit">
                  Nộp phiếu (khóa)
                </button>
              </div>
            ) : null}
          </Form>
        </section>
        <section className="card" aria-labelledby="dossier">
          <h2 id="dossier">Hồ sơ như đã nộp</h2>
          {snap.facility?.name ? (
            <p>
              {snap.facility.name} – {snap.facility.legacyProvinceName ?? snap.facility.provinceName}
            </p>
          ) : null}
          {snap.product?.description ? <p>{snap.product.description}</p> : null}
          {snap.photos?.length ? (
            <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(9rem, 1fr))" }}>
              {snap.photos.map((p) => {
                const v = fallbackVariant(p.variants ?? [], 480);
                return v ? (
                  <img
                    key={p.id}
                    src={mediaUrl(p.id, v)}
                    width={v.width}
                    height={v.height}
                    alt={`Ảnh sản phẩm ${data.productName}`}
                    loading="lazy"
                    style={{ width: "100%", height: "auto" }}
                  />
                ) : null;
              })}
            </div>
          ) : null}
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
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="conflict" />
                <label htmlFor="reason">Lý do (ví dụ: người thân làm việc tại cơ sở)</label>
                <textarea id="reason" name="reason" rows={2} required minLength={5} />
                <div>
                  <button className="btn secondary small" type="submit">
                    Khai báo và rút khỏi chấm hồ sơ này
                  </button>
                </div>
              </Form>
            </details>
          ) : null}
        </section>
      </div>
    </>
  );
}
