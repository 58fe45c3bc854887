import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { ConfirmForm, FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { isSecretary, listSeats } from "~/models/council/bodies.server";
import { processOf } from "~/models/council/process.server";
import { quorumNeeded, ruleText, SEAT_NAMES, votesNeeded } from "~/models/council/session-rules";
import { closeSession, listSessions, openSession, recordVote, roundBySlug, votesOf } from "~/models/council/session.server";
import { computeResults } from "~/models/results/results.server";
import { requireUser } from "~/utils/auth.server";
import { CONFIRM } from "~/utils/confirm";
import { formatDate, formatNumber } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { confirmationStep, formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Phiên họp hội đồng bình chọn — CNNT Tiêu biểu" }];

/** The council's secretary of this round only (404 for anyone else). */
async function guard(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const round = await roundBySlug(slug ?? "");
  if (!round || !(await isSecretary(round.id, user.id))) throw new Response("Không tìm thấy trang.", { status: 404 });
  return { user, round };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await guard(request, params.slug);
  const [seats, sessions, settings, results] = await Promise.all([listSeats(round.id), listSessions(round.id), processOf(round.id), computeResults({ roundId: round.id })]);
  const open = sessions.find((s) => !s.closedAt) ?? null;
  const votes = open ? await votesOf(open.id) : [];
  return json({
    round: { slug: round.slug, title: round.title, status: round.status, passMark: Number(round.passMark), quota: round.quota, decided: !!round.decisionNo },
    seats,
    sessions: sessions.map((s) => ({ id: s.id, seq: s.seq, heldOn: s.heldOn, place: s.place, present: s.presentUserIds.length, total: s.membersTotal, closed: !!s.closedAt })),
    open: open ? { ...open, quorum: quorumNeeded(open.membersTotal, settings.quorumPct), needed: votesNeeded(open.presentUserIds.length, settings.votePct) } : null,
    settings,
    votes: Object.fromEntries(votes.map((v) => [v.entryId, v])),
    entries: results.entries.map((e) => ({
      entryId: e.entryId,
      code: e.code,
      productName: e.productName,
      provinceName: e.provinceName,
      mean: e.mean,
      median: e.median,
      spread: e.min != null && e.max != null ? e.max - e.min : null,
      n: e.n,
      disagree: e.disagreement,
      passed: e.passed,
      rank: e.rank,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await guard(request, params.slug);
  const formData = await readForm(request);
  const form = formObject(formData, ["present"]) as Record<string, unknown>;
  const done = (message: string) => redirectWithToast(samePage(request), { message });
  return withFormErrors(async () => {
    switch (form.intent) {
      case "open":
        await openSession({
          roundId: round.id,
          actorId: user.id,
          heldOn: String(form.heldOn ?? ""),
          place: String(form.place ?? ""),
          presentUserIds: ((form.present as string[] | undefined) ?? []).map(String),
        });
        return done("Đã khai mạc phiên họp.");
      case "vote": {
        const sessionId = Number(form.sessionId);
        const entryId = Number(form.entryId);
        const memberVotes: Record<string, boolean> = {};
        for (const [k, v] of formData) if (k.startsWith("m:") && (v === "1" || v === "0")) memberVotes[k.slice(2)] = v === "1";
        const byMember = form.mode === "members";
        const r = await recordVote({
          sessionId,
          actorId: user.id,
          entryId,
          ...(byMember ? { memberVotes } : { yes: form.yes === "" ? NaN : Number(form.yes), no: form.no === "" ? NaN : Number(form.no) }),
          reason: String(form.reason ?? ""),
        });
        return done(`Đã ghi biểu quyết: ${r.yes} đồng ý, ${r.no} không đồng ý – ${r.approved ? "đề nghị công nhận" : "không đề nghị"}.`);
      }
      case "close": {
        const step = confirmationStep(formData, CONFIRM.closeSession);
        if (step) return step;
        const r = await closeSession({ sessionId: Number(form.sessionId), actorId: user.id });
        return done(`Đã kết thúc phiên họp: hội đồng đề nghị công nhận ${r.recommended} sản phẩm.`);
      }
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

const n2 = (v: number | null) => (v == null ? "—" : formatNumber(v, 2));

export default function CouncilSessionPage() {
  const { round, seats, sessions, open, settings, votes, entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = (result && "fields" in result ? result.fields : {}) as Record<string, string>;
  const passed = entries.filter((e) => e.passed).length;
  const present = open ? seats.filter((s) => open.presentUserIds.includes(s.userId)) : [];
  return (
    <>
      <h1>Phiên họp Hội đồng bình chọn</h1>
      <p>{round.title}</p>
      <FormFeedback result={result} />
      {sessions.length ? (
        <ul>
          {sessions.map((s) => (
            <li key={s.id}>
              Phiên {s.seq}: {formatDate(s.heldOn)}, {s.place}; có mặt {s.present}/{s.total}; {s.closed ? "đã kết thúc" : "đang họp"}
            </li>
          ))}
        </ul>
      ) : null}
      {!open && round.status === "deliberation" && !round.decided ? (
        <section className="card" aria-labelledby="open-session">
          <h2 id="open-session">Khai mạc phiên họp</h2>
          <p className="hint">
            Túc số: {ruleText(settings.quorumPct, "thành viên")} ({quorumNeeded(seats.length, settings.quorumPct)}/{seats.length}).
          </p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="open" />
            <Field name="heldOn" label="Ngày họp" type="date" error={fields.heldOn} />
            <Field name="place" label="Địa điểm" error={fields.place} />
            <fieldset>
              <legend>Thành viên có mặt</legend>
              {seats.map((s) => (
                <label key={s.userId} style={{ display: "block" }}>
                  <input type="checkbox" name="present" value={s.userId} defaultChecked /> {s.fullName} – {SEAT_NAMES[s.role]}
                </label>
              ))}
            </fieldset>
            <p>
              <button className="btn" type="submit">
                Khai mạc phiên họp
              </button>
            </p>
          </Form>
        </section>
      ) : null}
      {!open && round.status !== "deliberation" ? <p className="muted">Hội đồng họp sau khi kết thúc chấm điểm.</p> : null}
      <section className="card" aria-labelledby="jury-table">
        <h2 id="jury-table">Kết quả chấm của Ban giám khảo</h2>
        <p>
          Điểm đạt {formatNumber(round.passMark, 2)}; {passed} sản phẩm đạt
          {round.quota ? `; chỉ tiêu ${round.quota}` : ""}.
          {open ? ` Có mặt ${open.presentUserIds.length}/${open.membersTotal} (túc số ${open.quorum}); đề nghị công nhận khi có từ ${open.needed} phiếu đồng ý (${ruleText(settings.votePct, "thành viên dự họp")}).` : ""}
        </p>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Hạng</th>
                <th>Mã</th>
                <th>Sản phẩm</th>
                <th>TB</th>
                <th>Trung vị</th>
                <th>Chênh lệch</th>
                <th>Số phiếu</th>
                <th>Biểu quyết</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const v = votes[e.entryId];
                return (
                  <tr key={e.entryId}>
                    <td>{e.rank ?? "—"}</td>
                    <td>{e.code}</td>
                    <td>
                      {e.productName}
                      {e.disagree ? <span className="badge"> giám khảo chênh lệch lớn</span> : null}
                      {!e.passed ? <span className="muted"> (dưới điểm đạt)</span> : null}
                    </td>
                    <td>{n2(e.mean)}</td>
                    <td>{n2(e.median)}</td>
                    <td>{n2(e.spread)}</td>
                    <td>{e.n}</td>
                    <td>
                      {v ? (
                        <p style={{ margin: 0 }}>
                          {v.yes} đồng ý / {v.no} không – <strong>{v.approved ? "đề nghị" : "không đề nghị"}</strong>
                          {v.reason ? ` (${v.reason})` : ""}
                        </p>
                      ) : null}
                      {open ? (
                        <details>
                          <summary>Ghi biểu quyết {e.code}</summary>
                          <Form method="post" className="stack">
                            <input type="hidden" name="intent" value="vote" />
                            <input type="hidden" name="mode" value="members" />
                            <input type="hidden" name="sessionId" value={open.id} />
                            <input type="hidden" name="entryId" value={e.entryId} />
                            {present.map((m) => (
                              <fieldset key={m.userId}>
                                <legend>{m.fullName}</legend>
                                <label>
                                  <input type="radio" name={`m:${m.userId}`} value="1" defaultChecked={e.passed} /> đồng ý
                                </label>{" "}
                                <label>
                                  <input type="radio" name={`m:${m.userId}`} value="0" defaultChecked={!e.passed} /> không đồng ý
                                </label>
                              </fieldset>
                            ))}
                            <Field name="reason" id={`f-reason-m-${e.entryId}`} label="Lý do (nếu có)" />
                            <button className="btn small" type="submit">
                              Ghi biểu quyết từng thành viên
                            </button>
                          </Form>
                          <Form method="post" className="stack">
                            <input type="hidden" name="intent" value="vote" />
                            <input type="hidden" name="mode" value="counts" />
                            <input type="hidden" name="sessionId" value={open.id} />
                            <input type="hidden" name="entryId" value={e.entryId} />
                            <Field name="yes" id={`f-yes-${e.entryId}`} label="Số phiếu đồng ý" inputMode="numeric" />
                            <Field name="no" id={`f-no-${e.entryId}`} label="Số phiếu không đồng ý" inputMode="numeric" />
                            <Field name="reason" id={`f-reason-c-${e.entryId}`} label="Lý do (nếu có)" />
                            <button className="btn small secondary" type="submit">
                              Ghi số phiếu
                            </button>
                          </Form>
                        </details>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      {open ? (
        <ConfirmForm method="post" confirm={CONFIRM.closeSession}>
          <input type="hidden" name="intent" value="close" />
          <input type="hidden" name="sessionId" value={open.id} />
          <button className="btn" type="submit">
            Kết thúc phiên họp và thông qua danh sách
          </button>
        </ConfirmForm>
      ) : null}
    </>
  );
}
