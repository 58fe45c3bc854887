import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { vnLocalInput, RoundForm } from "~/components/RoundForm";
import { RoundNav } from "~/components/RoundNav";
import { advanceRound, roundProgress, updateRound } from "~/models/round/round.server";
import { canChangeResultRules, canEditRound, LEVEL_NAMES, NEXT_STATUS, ROUND_STATUSES, STATUS_NAMES } from "~/models/round/rules";
import { roundUpdateSchema } from "~/schemas/round";
import { CONFIRM } from "~/utils/confirm";
import { formatDateTime, formatNumber } from "~/utils/format";
import { CHECK_FIELDS, formObject, parseForm } from "~/utils/forms";
import { confirmationStep, formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.round.title ?? "Đợt bình chọn"} — CNNT Tiêu biểu` },
];

const ENTRY_STATUS_NAMES: Record<string, string> = {
  draft: "Nháp",
  submitted: "Chờ thẩm định",
  returned: "Trả lại bổ sung",
  eligible: "Đủ điều kiện",
  ineligible: "Không đủ điều kiện",
  selected: "Được công nhận",
  not_selected: "Không được công nhận",
  withdrawn: "Rút hồ sơ",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const progress = await roundProgress(round.id);
  const next = NEXT_STATUS[round.status];
  return json({
    round: { ...round, levelName: LEVEL_NAMES[round.level], statusName: STATUS_NAMES[round.status] },
    progress,
    next: next ? { status: next, name: STATUS_NAMES[next] } : null,
    entryStatusNames: ENTRY_STATUS_NAMES,
    canEditRound: canEditRound(round),
    canChangeRules: canChangeResultRules(round),
  });
}

const AdvanceSchema = z.object({
  from: z.enum(ROUND_STATUSES, { error: "Trạng thái không hợp lệ." }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const formData = await readForm(request);
  const form = formObject(formData);
  return withFormErrors(async () => {
    if (form.intent === "advance") {
      const parsed = AdvanceSchema.safeParse(form);
      if (!parsed.success) return formFailure(400, "Trạng thái không hợp lệ.");
      const next = NEXT_STATUS[parsed.data.from];
      const step = next ? confirmationStep(formData, CONFIRM.advanceRound(STATUS_NAMES[next])) : null;
      if (step) return step;
      const to = await advanceRound({ roundId: round.id, actorId: user.id, from: parsed.data.from });
      return redirectWithToast(samePage(request), { message: `Đã chuyển đợt sang “${STATUS_NAMES[to]}”.` });
    }
    if (form.intent === "update") {
      const parsed = parseForm(roundUpdateSchema, form, CHECK_FIELDS);
      if (!parsed.ok) return invalid(parsed);
      const d = parsed.data;
      if (d.registrationOpensAt >= d.registrationClosesAt)
        return formFailure(400, "Hạn nộp hồ sơ phải sau ngày mở đăng ký.", { registrationClosesAt: "Hạn nộp phải sau ngày mở." });
      if (d.registrationClosesAt > d.scoringClosesAt)
        return formFailure(400, "Hạn chấm điểm không được trước hạn nộp hồ sơ.", {
          scoringClosesAt: "Hạn chấm phải sau hạn nộp.",
        });
      await updateRound({ actorId: user.id, roundId: round.id, data: d });
      return redirectWithToast(samePage(request), { message: "Đã lưu thông tin đợt bình chọn." });
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function RoundOverview() {
  const { round, progress, next, entryStatusNames, canEditRound: editable, canChangeRules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      <div className="grid">
        <section className="card" aria-labelledby="state">
          <h2 id="state">Trạng thái: {round.statusName}</h2>
          <dl>
            <dt>Cấp</dt>
            <dd>{round.levelName}</dd>
            <dt>Hạn nộp hồ sơ</dt>
            <dd>{formatDateTime(round.registrationClosesAt)}</dd>
            <dt>Hạn chấm điểm</dt>
            <dd>{formatDateTime(round.scoringClosesAt)}</dd>
            <dt>Điểm đạt / chỉ tiêu</dt>
            <dd>
              {formatNumber(Number(round.passMark), 1)} điểm / {round.quota ? `${round.quota} sản phẩm` : "không giới hạn"}
            </dd>
            <dt>Bước chấm / ngưỡng chênh lệch</dt>
            <dd>
              {formatNumber(Number(round.scoreStep), 1)} điểm / {formatNumber(Number(round.disagreementSpread), 1)} điểm
            </dd>
            <dt>Xung đột “đã chấm sản phẩm ở đợt khác”</dt>
            <dd>{round.conflictSameProduct ? "Áp dụng" : "Không áp dụng"}</dd>
            {round.finalHash ? (
              <>
                <dt>Mã băm bảng điểm cuối (SHA-256)</dt>
                <dd style={{ wordBreak: "break-all" }}>
                  <code>{round.finalHash}</code>
                </dd>
              </>
            ) : null}
          </dl>
          {next ? (
            <ConfirmForm method="post" confirm={CONFIRM.advanceRound(next.name)}>
              <input type="hidden" name="intent" value="advance" />
              <input type="hidden" name="from" value={round.status} />
              <button className="btn" type="submit">
                Chuyển sang “{next.name}”
              </button>
            </ConfirmForm>
          ) : round.status === "deliberation" ? (
            <p className="hint">Chốt kết quả, ghi quyết định và công bố ở mục Kết quả.</p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="progress">
          <h2 id="progress">Tiến độ</h2>
          <ul>
            {Object.entries(progress.counts).map(([status, n]) => (
              <li key={status}>
                {entryStatusNames[status] ?? status}: <strong>{n}</strong>
              </li>
            ))}
            <li>
              Thành viên hội đồng: <strong>{progress.councilSize}</strong>, lượt phân công:{" "}
              <strong>{progress.assignments}</strong>
            </li>
            <li>
              Phiếu chấm đã nộp: <strong>{progress.sheetsSubmitted}</strong> / {progress.assignments}
            </li>
          </ul>
        </section>
      </div>
      {editable ? (
        <section className="card" aria-labelledby="settings">
          <h2 id="settings">Thông tin đợt</h2>
          <RoundForm
            mode="edit"
            canChangeRules={canChangeRules}
            fields={result && "fields" in result ? result.fields : undefined}
            values={{
              title: round.title,
              year: round.year,
              registrationOpensAt: vnLocalInput(round.registrationOpensAt),
              registrationClosesAt: vnLocalInput(round.registrationClosesAt),
              scoringClosesAt: vnLocalInput(round.scoringClosesAt),
              passMark: Number(round.passMark),
              quota: round.quota,
              jurorsPerEntry: round.jurorsPerEntry,
              scoreStep: String(Number(round.scoreStep)),
              disagreementSpread: Number(round.disagreementSpread),
              conflictSameProduct: round.conflictSameProduct ? 1 : 0,
              authority: round.authority,
            }}
          />
        </section>
      ) : null}
    </>
  );
}
