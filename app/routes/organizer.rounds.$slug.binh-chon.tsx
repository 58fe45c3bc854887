import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { vnLocalInput } from "~/components/RoundForm";
import { RoundNav } from "~/components/RoundNav";
import { AwardCertificates } from "~/components/vote/AwardCertificates";
import { issueFavouriteCertificate } from "~/models/certificate/favourite.server";
import { STATUS_NAMES } from "~/models/round/rules";
import { awardWithCertificates } from "~/models/vote/award.server";
import {
  basisOf,
  closePollNow,
  decideFlag,
  flagBursts,
  freezePoll,
  listFlags,
  liveTallies,
  pollOf,
  savePoll,
} from "~/models/vote/poll.server";
import { AWARD_NAME, DEFAULT_LIMITS, FLAG_STATUS_NAMES, PHASE_NAMES, pollPhase } from "~/models/vote/rules";
import { pollSettingsSchema } from "~/schemas/vote";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, readForm, withFormErrors } from "~/utils/http.server";
import { requireOrganizerRound } from "~/utils/round-guard.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

/** Every sentence of the page, in one place (to be translated later). */
const T = {
  title: "Bình chọn của công chúng",
  advisory: "Bình chọn của công chúng chỉ mang tính tham khảo: không thay đổi điểm hay thứ hạng của Ban giám khảo.",
  notAvailable:
    "Chỉ mở bình chọn khi đợt đã có hồ sơ hợp lệ (thẩm định, chấm điểm) hoặc đã công bố (các sản phẩm được công nhận).",
  basis: { eligible: "các hồ sơ hợp lệ", selected: "các sản phẩm được công nhận" },
  settings: "Thời gian và giới hạn",
  opensAt: "Mở bình chọn",
  closesAt: "Đóng bình chọn",
  maxTotal: "Số phiếu tối đa mỗi người",
  maxPerEntry: "Số phiếu tối đa cho một sản phẩm",
  maxPerDay: "Số phiếu tối đa mỗi ngày (để trống: không giới hạn)",
  showLive: "Hiện số phiếu trong khi bình chọn (bỏ chọn: giữ kín đến khi đóng)",
  open: "Mở bình chọn",
  save: "Lưu thay đổi",
  closeNow: "Đóng bình chọn ngay",
  freeze: "Chốt kết quả",
  flags: "Nhóm phiếu bất thường",
  scan: "Kiểm tra phiếu bất thường",
  noFlags: "Chưa có nhóm phiếu nào bị đánh dấu.",
  keep: "Giữ lại",
  exclude: "Loại",
  reason: "Lý do",
  tallies: "Số phiếu hiện tại",
  export: "Tải danh sách phiếu (CSV, địa chỉ máy đã băm)",
  public: "Trang công khai",
  saved: "Đã lưu bình chọn của công chúng.",
  closed: "Đã đóng bình chọn.",
  frozen: (h: string) => `Đã chốt kết quả (SHA-256 ${h.slice(0, 16)}…).`,
  scanned: (n: number) => (n ? `Đã đánh dấu ${n} nhóm phiếu mới.` : "Không có nhóm phiếu bất thường mới."),
  decided: "Đã ghi quyết định về nhóm phiếu.",
  issued: (serial: string) => `Đã cấp giấy chứng nhận “${AWARD_NAME}” số ${serial}.`,
} as const;

export const meta: MetaFunction = () => [{ title: `${T.title} — CNNT Tiêu biểu` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round } = await requireOrganizerRound(request, params.slug, "results:view");
  const poll = await pollOf(round.id);
  const flags = poll ? await listFlags(round.id) : [];
  const tallies = poll ? await liveTallies(round.id) : null;
  const award = poll?.frozenAt ? await awardWithCertificates(round.id) : null;
  return json({
    round: { slug: round.slug, title: round.title, statusName: STATUS_NAMES[round.status] },
    basis: poll?.basis ?? basisOf(round.status),
    poll: poll ? { ...poll, phase: pollPhase(poll) } : null,
    flags,
    tallies,
    award,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireOrganizerRound(request, params.slug, "round:manage");
  const formData = await readForm(request);
  const form = formObject(formData) as Record<string, string>;
  const done = (message: string) => redirectWithToast(samePage(request), { message });
  return withFormErrors(async () => {
    switch (form.intent) {
      case "save": {
        const parsed = parseForm(pollSettingsSchema, form, "Vui lòng sửa các ô được đánh dấu.");
        if (!parsed.ok) return formFailure(400, parsed.formError, parsed.fields, form);
        await savePoll({ actorId: user.id, round, settings: parsed.data });
        return done(T.saved);
      }
      case "close":
        await closePollNow({ actorId: user.id, roundId: round.id });
        return done(T.closed);
      case "scan":
        return done(T.scanned(await flagBursts({ roundId: round.id })));
      case "flag":
        await decideFlag({
          actorId: user.id,
          roundId: round.id,
          flagId: Number(form.flagId) || 0,
          decision: form.decision === "kept" ? "kept" : "excluded",
          reason: String(form.reason ?? ""),
        });
        return done(T.decided);
      case "freeze":
        return done(T.frozen((await freezePoll({ actorId: user.id, roundId: round.id })).hash));
      case "favourite": {
        // Issuing a certificate needs that permission besides managing the round's vote.
        await requirePermission(request, "certificate:issue");
        const issued = await issueFavouriteCertificate({ actorId: user.id, roundId: round.id, entryId: Number(form.entryId) });
        return done(T.issued(issued.serial));
      }
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function OrganizerVotePage() {
  const { round, basis, poll, flags, tallies, award } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields = (result && "fields" in result ? result.fields : {}) as Record<string, string>;
  const values = (result && "values" in result ? result.values : undefined) as Record<string, string> | undefined;
  const v = (name: string, fallback: string) => values?.[name] ?? fallback;
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <h2>{T.title}</h2>
      <p>{T.advisory}</p>
      <FormFeedback result={result} />
      {!basis ? (
        <p>{T.notAvailable}</p>
      ) : (
        <>
          <p>
            Sản phẩm đưa ra bình chọn: {T.basis[basis]}.{" "}
            {poll ? (
              <>
                <strong>{PHASE_NAMES[poll.phase]}</strong>. <Link to={`/rounds/${round.slug}/binh-chon`}>{T.public}</Link>
              </>
            ) : null}
          </p>
          {poll?.phase !== "frozen" ? (
            <section className="card" aria-labelledby="vote-settings">
              <h3 id="vote-settings">{T.settings}</h3>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="save" />
                <Field
                  name="opensAt"
                  label={T.opensAt}
                  type="datetime-local"
                  required
                  defaultValue={v("opensAt", vnLocalInput(poll?.opensAt))}
                  error={fields.opensAt}
                />
                <Field
                  name="closesAt"
                  label={T.closesAt}
                  type="datetime-local"
                  required
                  defaultValue={v("closesAt", vnLocalInput(poll?.closesAt))}
                  error={fields.closesAt}
                />
                <Field
                  name="maxTotal"
                  label={T.maxTotal}
                  inputMode="numeric"
                  required
                  defaultValue={v("maxTotal", String(poll?.maxTotal ?? DEFAULT_LIMITS.maxTotal))}
                  error={fields.maxTotal}
                />
                <Field
                  name="maxPerEntry"
                  label={T.maxPerEntry}
                  inputMode="numeric"
                  required
                  defaultValue={v("maxPerEntry", String(poll?.maxPerEntry ?? DEFAULT_LIMITS.maxPerEntry))}
                  error={fields.maxPerEntry}
                />
                <Field
                  name="maxPerDay"
                  label={T.maxPerDay}
                  inputMode="numeric"
                  defaultValue={v("maxPerDay", poll?.maxPerDay == null ? "" : String(poll.maxPerDay))}
                  error={fields.maxPerDay}
                />
                <label>
                  <input type="checkbox" name="showLive" value="1" defaultChecked={poll ? poll.showLive : true} /> {T.showLive}
                </label>
                <button type="submit" className="btn">
                  {poll ? T.save : T.open}
                </button>
              </Form>
              {poll?.phase === "open" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="close" />
                  <button type="submit" className="btn secondary">
                    {T.closeNow}
                  </button>
                </Form>
              ) : null}
            </section>
          ) : (
            <p style={{ overflowWrap: "anywhere" }}>
              Kết quả đã chốt lúc {formatDateTime(poll.frozenAt)}; SHA-256 <code>{poll.finalHash}</code>.
            </p>
          )}
          {poll ? (
            <section className="card" aria-labelledby="vote-flags">
              <h3 id="vote-flags">{T.flags}</h3>
              {poll.phase !== "frozen" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="scan" />
                  <button type="submit" className="btn secondary">
                    {T.scan}
                  </button>
                </Form>
              ) : null}
              {flags.length ? (
                <ul className="stack">
                  {flags.map((f) => (
                    <li key={f.id}>
                      <p>
                        <strong>Nhóm {f.id}</strong>: {f.kindName} — {formatNumber(f.votes)} phiếu cho {f.entryCode},{" "}
                        {formatDateTime(f.firstAt)} – {formatDateTime(f.lastAt)}. <strong>{FLAG_STATUS_NAMES[f.status]}</strong>
                        {f.reason ? ` (${f.reason})` : ""}
                      </p>
                      {poll.phase !== "frozen" ? (
                        <Form method="post" className="actions">
                          <input type="hidden" name="intent" value="flag" />
                          <input type="hidden" name="flagId" value={f.id} />
                          <Field
                            id={`f-reason-${f.id}`}
                            name="reason"
                            label={`${T.reason} (nhóm ${f.id})`}
                            required
                            maxLength={500}
                          />
                          <button type="submit" name="decision" value="kept" className="btn secondary">
                            {T.keep}
                          </button>
                          <button type="submit" name="decision" value="excluded" className="btn">
                            {T.exclude}
                          </button>
                        </Form>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{T.noFlags}</p>
              )}
            </section>
          ) : null}
          {poll && tallies ? (
            <section className="card" aria-labelledby="vote-tallies">
              <h3 id="vote-tallies">{T.tallies}</h3>
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th>Mã hồ sơ</th>
                      <th>Sản phẩm</th>
                      <th>Số phiếu được tính</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tallies.totals.map((t) => (
                      <tr key={t.entryId}>
                        <td>{t.entryCode}</td>
                        <td>{t.productName}</td>
                        <td>{formatNumber(t.votes)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="actions">
                <a href={`/organizer/rounds/${round.slug}/binh-chon/phieu.csv`} download>
                  {T.export}
                </a>
              </p>
              {poll.phase === "closed" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="freeze" />
                  <button type="submit" className="btn">
                    {T.freeze}
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}
          {award ? <AwardCertificates awardName={AWARD_NAME} winners={award} /> : null}
        </>
      )}
    </>
  );
}
