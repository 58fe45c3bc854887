import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { ComplaintList } from "~/components/council/ComplaintList";
import { Field } from "~/components/FormField";
import { RoundNav } from "~/components/RoundNav";
import { listBodies, listSeats, removeSeat, saveBodyDecision, saveSeat } from "~/models/council/bodies.server";
import { complaintFollowUps, recordCouncilDecision } from "~/models/council/decision.server";
import { processOf, saveProcessSettings } from "~/models/council/process.server";
import {
  BODY_NAMES,
  openFollowUps,
  RESCREEN_OUTCOME_NAMES,
  SEAT_NAMES,
  STAGE_NAMES,
  stageOf,
} from "~/models/council/session-rules";
import { latestClosedSession, listSessions, recommendedEntryIds } from "~/models/council/session.server";
import { listComplaints, provisionalList, publishProvisional, recordRescreening, resolveComplaint } from "~/models/results/complaint.server";
import { publishRound } from "~/models/results/results.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { CONFIRM } from "~/utils/confirm";
import { formatDate, formatDateTime } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";
import { filesOf, readUploadForm } from "~/utils/uploads.server";

export const meta: MetaFunction = () => [{ title: "Hội đồng bình chọn và quyết định — CNNT Tiêu biểu" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const [bodies, seats, sessions, settings, complaints, provisional, recommended, latest, followUps] = await Promise.all([
    listBodies(round.id),
    listSeats(round.id),
    listSessions(round.id),
    processOf(round.id),
    listComplaints(round.id, { withIdentity: true }),
    provisionalList(round.id),
    recommendedEntryIds(round.id),
    latestClosedSession(round.id),
    complaintFollowUps(round.id),
  ]);
  return json({
    round: { ...round, statusName: STATUS_NAMES[round.status] },
    stage: stageOf({ status: round.status, decisionNo: round.decisionNo, provisionalPublishedAt: settings.provisionalPublishedAt }),
    bodies,
    seats,
    sessions: sessions.map((s) => ({ ...s, present: s.presentUserIds.length })),
    settings,
    complaints,
    provisional,
    recommendedCount: recommended?.length ?? null,
    /** What accepted complaints still ask for before the decision (re-screening, a new session). */
    followUpsOpen: round.decisionNo ? [] : openFollowUps({ complaints: followUps, latestSessionOpenedAt: latest?.openedAt ?? null }),
    canPublishProvisional: !!latest && settings.provisionalSessionId !== latest.id && !round.decisionNo,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:publish");
  const multipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  return withFormErrors(async () => {
    const formData = multipart ? await readUploadForm(request) : await readForm(request);
    const form = formObject(formData) as Record<string, string>;
    const done = (message: string) => redirectWithToast(samePage(request), { message });
    switch (form.intent) {
      case "body": {
        const [pdf] = await filesOf(formData, "pdf");
        await saveBodyDecision({
          roundId: round.id,
          actorId: user.id,
          kind: form.kind === "jury" ? "jury" : "council",
          decisionNo: String(form.decisionNo ?? ""),
          decisionDate: String(form.decisionDate ?? ""),
          decisionSigner: String(form.decisionSigner ?? ""),
          pdf: pdf ?? null,
        });
        return done("Đã lưu quyết định thành lập.");
      }
      case "seat": {
        const r = await saveSeat({ roundId: round.id, actorId: user.id, email: String(form.email ?? ""), role: form.role as never });
        return done(`Đã lưu ${r.name} – ${r.roleName}.`);
      }
      case "unseat":
        await removeSeat({ roundId: round.id, actorId: user.id, userId: String(form.userId ?? "") });
        return done("Đã bỏ thành viên khỏi hội đồng.");
      case "settings":
        await saveProcessSettings({
          roundId: round.id,
          actorId: user.id,
          quorumPct: Number(form.quorumPct),
          votePct: Number(form.votePct),
          complaintDays: Number(form.complaintDays),
        });
        return done("Đã lưu quy tắc của hội đồng.");
      case "provisional": {
        const step = confirmationStep(formData, CONFIRM.publishProvisional);
        if (step) return step;
        const r = await publishProvisional({ roundId: round.id, actorId: user.id });
        return done(`Đã công khai kết quả dự kiến; nhận khiếu nại đến ${formatDateTime(r.closesAt)}.`);
      }
      case "resolve":
        await resolveComplaint({
          complaintId: Number(form.complaintId),
          actorId: user.id,
          status: form.status === "accepted" ? "accepted" : "rejected",
          resolution: String(form.resolution ?? ""),
          followUp: (form.followUp || "none") as never,
        });
        return done("Đã ghi kết quả giải quyết khiếu nại.");
      case "rescreen": {
        const r = await recordRescreening({
          complaintId: Number(form.complaintId),
          actorId: user.id,
          outcome: form.outcome as never,
          note: String(form.note ?? ""),
        });
        return done(`Đã ghi kết quả thẩm định lại hồ sơ ${r.entryCode ?? ""}: ${RESCREEN_OUTCOME_NAMES[r.outcome]}.`);
      }
      case "decision": {
        const step = confirmationStep(formData, CONFIRM.councilDecision);
        if (step) return step;
        const r = await recordCouncilDecision({
          roundId: round.id,
          actorId: user.id,
          decisionNo: String(form.decisionNo ?? ""),
          decisionDate: String(form.decisionDate ?? ""),
          signerTitle: String(form.signerTitle ?? ""),
          signerName: String(form.signerName ?? ""),
          note: String(form.note ?? ""),
        });
        return done(`Đã ghi quyết định công nhận ${r.selected} sản phẩm.`);
      }
      case "publish": {
        const step = confirmationStep(formData, CONFIRM.publish);
        if (step) return step;
        const r = await publishRound({ roundId: round.id, actorId: user.id });
        return done(`Đã công bố kết quả và cấp ${r.certificates} giấy chứng nhận.`);
      }
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function CouncilProcessPage() {
  const { round, stage, bodies, seats, sessions, settings, complaints, provisional, recommendedCount, canPublishProvisional, followUpsOpen } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = (result && "fields" in result ? result.fields : {}) as Record<string, string>;
  const windowClosed = settings.complaintsCloseAt ? new Date(settings.complaintsCloseAt) <= new Date() : false;
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <FormFeedback result={result} />
      <p>
        Giai đoạn: <strong>{STAGE_NAMES[stage]}</strong>. Ban giám khảo chấm điểm; Hội đồng bình chọn họp, biểu quyết và đề nghị danh sách;
        cơ quan có thẩm quyền quyết định công nhận.
      </p>

      <p>
        Biên bản họp hội đồng: <a href={`/organizer/rounds/${round.slug}/hoi-dong/bien-ban.pdf`}>PDF (A4)</a> ·{" "}
        <a href={`/organizer/rounds/${round.slug}/hoi-dong/bien-ban.xlsx`}>XLSX</a>
      </p>
      <section className="card" aria-labelledby="bodies">
        <h2 id="bodies">Quyết định thành lập</h2>
        <ul>
          {(["jury", "council"] as const).map((kind) => {
            const b = bodies.find((x) => x.kind === kind);
            return (
              <li key={kind}>
                {BODY_NAMES[kind]}:{" "}
                {b ? (
                  <>
                    Quyết định số {b.decisionNo} ngày {formatDate(b.decisionDate)}, {b.decisionSigner}
                    {b.pdfId ? (
                      <>
                        {" "}
                        – <a href={`/organizer/rounds/${round.slug}/hoi-dong/quyet-dinh-${kind}.pdf`}>bản PDF</a>
                      </>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">chưa ghi</span>
                )}
              </li>
            );
          })}
        </ul>
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="body" />
          <Field name="kind" label="Cơ quan" error={fields.kind}>
            <select id="f-kind" name="kind">
              <option value="council">{BODY_NAMES.council}</option>
              <option value="jury">{BODY_NAMES.jury}</option>
            </select>
          </Field>
          <Field name="decisionNo" label="Số quyết định" error={fields.decisionNo} hint="Ví dụ 1011/QĐ-CNĐP" />
          <Field name="decisionDate" label="Ngày quyết định" type="date" error={fields.decisionDate} />
          <Field name="decisionSigner" label="Người ký (chức vụ, họ tên)" error={fields.decisionSigner} />
          <Field name="pdf" label="Bản quyết định đã ký (PDF, không bắt buộc)" error={fields.pdf}>
            <input id="f-pdf" name="pdf" type="file" accept="application/pdf" />
          </Field>
          <p>
            <button className="btn" type="submit">
              Lưu quyết định thành lập
            </button>
          </p>
        </Form>
      </section>

      <section className="card" aria-labelledby="seats">
        <h2 id="seats">Hội đồng bình chọn ({seats.length} thành viên)</h2>
        <p className="hint">Một người có thể vừa là giám khảo vừa là thành viên hội đồng. Thư ký hội đồng mở phiên họp và ghi biểu quyết.</p>
        <table>
          <thead>
            <tr>
              <th>Họ tên</th>
              <th>Vai trò</th>
              <th>
                <span className="visually-hidden">Thao tác</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {seats.map((s) => (
              <tr key={s.userId}>
                <td>
                  {s.fullName}
                  {s.title ? <span className="muted">, {s.title}</span> : null}
                </td>
                <td>{SEAT_NAMES[s.role]}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="unseat" />
                    <input type="hidden" name="userId" value={s.userId} />
                    <button className="btn secondary small" type="submit" aria-label={`Bỏ ${s.fullName} khỏi hội đồng`}>
                      Bỏ
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="seat" />
          <Field name="email" id="f-seat-email" label="Email của thành viên" type="email" error={fields.email} />
          <Field name="role" id="f-seat-role" label="Vai trò" error={fields.role}>
            <select id="f-seat-role" name="role">
              {Object.entries(SEAT_NAMES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <p>
            <button className="btn" type="submit">
              Lưu thành viên
            </button>
          </p>
        </Form>
      </section>

      <section className="card" aria-labelledby="rules">
        <h2 id="rules">Túc số, biểu quyết, thời hạn khiếu nại</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="settings" />
          <Field name="quorumPct" label="Túc số: có mặt trên … % số thành viên" inputMode="numeric" defaultValue={settings.quorumPct} error={fields.quorumPct} />
          <Field name="votePct" label="Đề nghị công nhận khi đồng ý trên … % số thành viên dự họp" inputMode="numeric" defaultValue={settings.votePct} error={fields.votePct} />
          <Field
            name="complaintDays"
            label="Thời hạn nhận khiếu nại (ngày)"
            inputMode="numeric"
            defaultValue={settings.complaintDays}
            error={fields.complaintDays}
            hint="Mặc định 10 ngày, có thể thay đổi: thời hạn theo quy định chưa được xác nhận."
          />
          <p>
            <button className="btn secondary" type="submit">
              Lưu quy tắc
            </button>
          </p>
        </Form>
      </section>

      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">Phiên họp của hội đồng</h2>
        {sessions.length ? (
          <ul>
            {sessions.map((s) => (
              <li key={s.id}>
                Phiên {s.seq}: ngày {formatDate(s.heldOn)} tại {s.place}; có mặt {s.present}/{s.membersTotal};{" "}
                {s.closedAt ? `kết thúc ${formatDateTime(s.closedAt)}` : "đang họp"}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Chưa có phiên họp. Thư ký hội đồng mở phiên họp sau khi kết thúc chấm điểm.</p>
        )}
        {recommendedCount != null ? <p>Danh sách hội đồng đề nghị công nhận: <strong>{recommendedCount}</strong> sản phẩm.</p> : null}
        {canPublishProvisional ? (
          <ConfirmForm method="post" confirm={CONFIRM.publishProvisional}>
            <input type="hidden" name="intent" value="provisional" />
            <button className="btn" type="submit">
              Công khai kết quả dự kiến ({settings.complaintDays} ngày nhận khiếu nại)
            </button>
          </ConfirmForm>
        ) : null}
        {provisional ? (
          <p>
            Đã công khai kết quả dự kiến {formatDateTime(provisional.publishedAt)} ({provisional.entries.length} sản phẩm); nhận khiếu nại đến{" "}
            <strong>{formatDateTime(provisional.complaintsCloseAt)}</strong>
            {windowClosed ? " (đã hết hạn)" : ""}.
          </p>
        ) : null}
      </section>

      <ComplaintList complaints={complaints} round={round} fields={fields} />

      <section className="card" aria-labelledby="decision">
        <h2 id="decision">Quyết định công nhận</h2>
        {followUpsOpen.length ? (
          <div className="alert info" role="note">
            <p>Chưa thể ghi quyết định:</p>
            <ul>
              {followUpsOpen.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {round.decisionNo ? (
          <p>
            Quyết định số {round.decisionNo} ngày {formatDate(round.decisionDate)}; {round.decisionSigner}
            {round.decisionSignerName ? ` ${round.decisionSignerName}` : ""}.
            {settings.decisionNote ? ` Khác danh sách hội đồng: ${settings.decisionNote}` : ""}
          </p>
        ) : (
          <ConfirmForm method="post" className="stack" confirm={CONFIRM.councilDecision}>
            <input type="hidden" name="intent" value="decision" />
            <p className="hint">Chỉ ghi được sau khi hết thời hạn khiếu nại và mọi khiếu nại đã được giải quyết. Danh sách: danh sách hội đồng đề nghị.</p>
            <Field name="decisionNo" id="f-dec-no" label="Số quyết định" error={fields.decisionNo} hint="Ví dụ 1208/QĐ-CNĐP" />
            <Field name="decisionDate" id="f-dec-date" label="Ngày quyết định" type="date" error={fields.decisionDate} />
            <Field name="signerTitle" id="f-dec-title" label="Chức vụ người ký" error={fields.decisionSigner} hint="Ví dụ Cục trưởng Cục Công nghiệp địa phương" />
            <Field name="signerName" id="f-dec-name" label="Họ tên người ký" error={fields.signerName} />
            <p>
              <button className="btn" type="submit">
                Ghi quyết định công nhận
              </button>
            </p>
          </ConfirmForm>
        )}
        {round.decisionNo && round.status === "deliberation" ? (
          <ConfirmForm method="post" confirm={CONFIRM.publish}>
            <input type="hidden" name="intent" value="publish" />
            <button className="btn" type="submit">
              Công bố kết quả và cấp giấy chứng nhận
            </button>
          </ConfirmForm>
        ) : null}
      </section>
    </>
  );
}
