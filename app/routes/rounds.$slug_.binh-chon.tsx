import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import altchaStyles from "altcha/altcha.css";

import { AltchaWidget } from "~/components/AltchaWidget";
import { FormFeedback } from "~/components/Confirm";
import { Field } from "~/components/FormField";
import { castBallot, getVoter, requestVoterLink, votesOf, voterCookieHeader, withdrawVote } from "~/models/vote/ballot.server";
import { publicVote } from "~/models/vote/poll.server";
import { AWARD_NAME, PHASE_NAMES } from "~/models/vote/rules";
import { formatDateTime, formatNumber } from "~/utils/format";
import { clientIp, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

/** Every sentence of the page, in one place (to be translated later). */
const T = {
  title: "Bình chọn của công chúng",
  notFound: "Đợt này không có bình chọn của công chúng.",
  advisory:
    "Bình chọn của công chúng mang tính tham khảo, tách biệt với việc chấm điểm của Ban giám khảo: không thay đổi điểm hay thứ hạng nào. Sản phẩm nhiều phiếu nhất nhận danh hiệu",
  window: "Thời gian bình chọn (giờ Việt Nam)",
  limits: (l: { maxTotal: number; maxPerEntry: number; maxPerDay: number | null }) =>
    `Mỗi người tối đa ${l.maxTotal} phiếu, ${l.maxPerEntry === 1 ? "một phiếu cho một sản phẩm" : `${l.maxPerEntry} phiếu cho một sản phẩm`}${l.maxPerDay ? `, ${l.maxPerDay} phiếu mỗi ngày` : ""}.`,
  hidden: "Số phiếu được giữ kín đến khi cuộc bình chọn kết thúc.",
  totals: "Số phiếu",
  provisional: "Số phiếu tạm tính (chưa chốt kết quả).",
  final: "Kết quả đã chốt; mã SHA-256:",
  excluded: (n: number) => `${formatNumber(n)} phiếu không được tính sau khi Ban tổ chức xem xét các nhóm phiếu bất thường:`,
  noneExcluded: "Không có phiếu nào bị loại.",
  award: "Danh hiệu",
  proveTitle: "Xác nhận email để bình chọn",
  proveText:
    "Nhập địa chỉ email; chúng tôi gửi một đường dẫn dùng một lần. Không cần mật khẩu hay tài khoản. Địa chỉ không được công khai.",
  email: "Địa chỉ email",
  send: "Gửi đường dẫn",
  sent: "Đã gửi đường dẫn tới hộp thư của bạn. Mở thư và bấm đường dẫn để bình chọn.",
  honeypot: "Để trống ô này",
  ballotTitle: "Lá phiếu của bạn",
  signedAs: "Bạn bình chọn bằng địa chỉ",
  signOut: "Dùng địa chỉ khác",
  choose: "Chọn sản phẩm bạn yêu thích",
  vote: "Gửi phiếu bình chọn",
  byMail:
    "Không dùng JavaScript? Bước kiểm tra chống bình chọn tự động cần JavaScript; bạn có thể xác nhận lá phiếu bằng đường dẫn gửi qua email.",
  byMailButton: "Xác nhận qua email",
  voted: (n: number) => `Đã ghi nhận ${n} phiếu bình chọn.`,
  mailed: "Đã gửi thư xác nhận lá phiếu: bấm đường dẫn trong thư để phiếu được tính.",
  mine: "Các phiếu bạn đã bình chọn",
  withdraw: "Rút phiếu",
  withdrawn: "Đã rút phiếu.",
  nothingYet: "Bạn chưa bình chọn sản phẩm nào.",
  closed: "Cuộc bình chọn không nhận phiếu vào lúc này.",
  product: "Sản phẩm",
  code: "Mã hồ sơ",
  csv: "Tải dữ liệu mở (CSV)",
  api: "API",
  round: "Trang đợt bình chọn",
} as const;

// The widget's own styles as a stylesheet of the site (its external build injects none, for the CSP).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: altchaStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${T.title} — ${data?.vote.round.title ?? "CNNT Tiêu biểu"}` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const vote = await publicVote(params.slug ?? "");
  if (!vote) throw new Response(T.notFound, { status: 404 });
  const voter = await getVoter(request);
  const mine = voter ? await votesOf(vote.roundId, voter.voterId) : [];
  const { roundId: _id, ...shown } = vote;
  return json(
    { vote: shown, voter: voter ? { email: voter.email } : null, mine },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const vote = await publicVote(params.slug ?? "");
  if (!vote) throw new Response(T.notFound, { status: 404 });
  const form = await readForm(request);
  const client = { ip: clientIp(context) ?? "0.0.0.0", userAgent: request.headers.get("User-Agent") };
  const done = (message: string, init?: ResponseInit) => redirectWithToast(samePage(request), { message }, init);
  return withFormErrors(async () => {
    const intent = String(form.get("intent") ?? "");
    if (intent === "link") {
      // A filled honeypot is answered like a real request and sends nothing.
      if (!form.get("website"))
        await requestVoterLink({
          roundId: vote.roundId,
          slug: vote.round.slug,
          email: String(form.get("email") ?? ""),
          ip: client.ip,
        });
      return done(T.sent);
    }
    if (intent === "signout") return done(T.signOut, { headers: { "Set-Cookie": await voterCookieHeader(null) } });
    const voter = await getVoter(request);
    if (!voter)
      return json(
        {
          ok: false as const,
          formError: "Hãy xác nhận địa chỉ email trước khi bình chọn (đường dẫn đã hết hiệu lực trên trình duyệt này).",
          fields: {},
        },
        { status: 401 },
      );
    if (intent === "withdraw") {
      await withdrawVote({ roundId: vote.roundId, voterId: voter.voterId, voteId: Number(form.get("voteId")) || 0 });
      return done(T.withdrawn);
    }
    const entryIds = form.getAll("entryId").map((v) => Number(v));
    if (entryIds.some((n) => !Number.isInteger(n) || n <= 0))
      return json(
        { ok: false as const, formError: "Sản phẩm bạn chọn không nằm trong danh sách bình chọn của đợt này.", fields: {} },
        { status: 400 },
      );
    const r = await castBallot({
      roundId: vote.roundId,
      slug: vote.round.slug,
      voter,
      entryIds,
      client,
      altcha: typeof form.get("altcha") === "string" ? String(form.get("altcha")) : null,
      byMail: intent === "vote-by-mail",
      honeypot: String(form.get("website") ?? ""),
    });
    return done(r.mailed ? T.mailed : T.voted(r.cast || entryIds.length));
  });
}

export default function VotePage() {
  const { vote, voter, mine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { round, poll } = vote;
  const open = poll.phase === "open";
  const names = new Map(vote.candidates.map((c) => [c.entryId, c]));
  const votedFor = new Set(mine.map((m) => m.entryId));
  const available = vote.candidates.filter((c) => poll.limits.maxPerEntry > 1 || !votedFor.has(c.entryId));
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {round.published ? <Link to={`/rounds/${round.slug}`}>{T.round}</Link> : round.title}
      </p>
      <h1>
        {T.title} — {round.title}
      </h1>
      <p>
        {T.advisory} “{AWARD_NAME}”.
      </p>
      <p>
        {T.window}: {formatDateTime(poll.opensAt)} – {formatDateTime(poll.closesAt)}. <strong>{PHASE_NAMES[poll.phase]}</strong>.{" "}
        {T.limits(poll.limits)}
      </p>

      <section className="card" aria-labelledby="totals">
        <h2 id="totals">{T.totals}</h2>
        {vote.award.length ? (
          <p>
            {T.award} “{AWARD_NAME}”: <strong>{vote.award.map((a) => `${a.productName} (${a.entryCode})`).join(", ")}</strong>
          </p>
        ) : null}
        {vote.totals ? (
          <>
            <p className="muted" style={{ overflowWrap: "anywhere" }}>
              {poll.finalHash ? `${T.final} ${poll.finalHash}` : T.provisional}
            </p>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{T.code}</th>
                    <th>{T.product}</th>
                    <th>{T.totals}</th>
                  </tr>
                </thead>
                <tbody>
                  {vote.totals.map((t) => (
                    <tr key={t.entryId}>
                      <td>{t.entryCode}</td>
                      <td>{t.productName}</td>
                      <td>{formatNumber(t.votes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p>{T.hidden}</p>
        )}
        {vote.excluded.count ? (
          <div>
            <p>{T.excluded(vote.excluded.count)}</p>
            <ul>
              {vote.excluded.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
        ) : poll.phase === "frozen" || poll.phase === "closed" ? (
          <p className="muted">{T.noneExcluded}</p>
        ) : null}
        <p className="actions">
          <a href={`/rounds/${round.slug}/binh-chon.csv`} download>
            {T.csv}
          </a>
          <a href={`/api/v1/rounds/${round.slug}/votes`}>{T.api}</a>
        </p>
      </section>

      {open ? (
        <section className="card" aria-labelledby="ballot">
          <h2 id="ballot">{voter ? T.ballotTitle : T.proveTitle}</h2>
          <FormFeedback result={result} />
          {!voter ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="link" />
              <p>{T.proveText}</p>
              <Field name="email" label={T.email} type="email" required autoComplete="email" inputMode="email" maxLength={254} />
              <div className="visually-hidden" aria-hidden="true">
                <label htmlFor="f-website">{T.honeypot}</label>
                <input id="f-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
              </div>
              <button type="submit" className="btn">
                {T.send}
              </button>
            </Form>
          ) : (
            <>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="signout" />
                <span>
                  {T.signedAs} <strong>{voter.email}</strong>
                </span>
                <button type="submit" className="btn secondary small">
                  {T.signOut}
                </button>
              </Form>
              {available.length ? (
                <Form method="post" reloadDocument className="stack">
                  <fieldset>
                    <legend>{T.choose}</legend>
                    {available.map((c) => (
                      <label key={c.entryId} style={{ display: "block" }}>
                        <input type="checkbox" name="entryId" value={c.entryId} /> {c.productName} ({c.entryCode})
                      </label>
                    ))}
                  </fieldset>
                  <div className="visually-hidden" aria-hidden="true">
                    <label htmlFor="f-website">{T.honeypot}</label>
                    <input id="f-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
                  </div>
                  <AltchaWidget />
                  <button type="submit" name="intent" value="vote" className="btn">
                    {T.vote}
                  </button>
                  <noscript>
                    <p>{T.byMail}</p>
                    <button type="submit" name="intent" value="vote-by-mail" className="btn secondary">
                      {T.byMailButton}
                    </button>
                  </noscript>
                </Form>
              ) : null}
              <h3>{T.mine}</h3>
              {mine.length ? (
                <ul>
                  {mine.map((m) => (
                    <li key={m.id}>
                      <Form method="post" className="actions">
                        <input type="hidden" name="intent" value="withdraw" />
                        <input type="hidden" name="voteId" value={m.id} />
                        <span>
                          {names.get(m.entryId)?.productName} ({names.get(m.entryId)?.entryCode}) — {formatDateTime(m.castAt)}
                        </span>
                        <button
                          type="submit"
                          className="btn secondary small"
                          aria-label={`${T.withdraw}: ${names.get(m.entryId)?.productName ?? ""}`}
                        >
                          {T.withdraw}
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">{T.nothingYet}</p>
              )}
            </>
          )}
        </section>
      ) : (
        <p>{T.closed}</p>
      )}
    </>
  );
}
