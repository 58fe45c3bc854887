import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/PublicParts";
import { getOpenCall, type PublicCriterion } from "~/models/round/call.server";
import { DOC_TYPES, DOSSIER_FIELDS, MIN_PHOTOS, REQUIRED_DOC_TYPES } from "~/schemas/dossier";
import publicStyles from "~/styles/public.css";
import { cacheHeaders, conditionalGet } from "~/utils/cache.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { entryDoorFor } from "~/utils/navigation";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];
export const headers = cacheHeaders;

/** GET /rounds/:slug/the-le — the public call for entries of a round open for registration. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await conditionalGet(request, "call");
  const call = await cache.memo(`call:${params.slug ?? ""}`, () => getOpenCall(params.slug ?? ""));
  if (!call) throw new Response("Không có đợt bình chọn đang nhận hồ sơ với địa chỉ này.", { status: 404 });
  return json({ call }, { headers: cache.headers });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Thể lệ, mời tham gia: ${data.call.title} — CNNT Tiêu biểu` : "Thể lệ — CNNT Tiêu biểu" },
  { name: "description", content: data ? `Điều kiện, hồ sơ, tiêu chí chấm điểm và hạn nộp hồ sơ của ${data.call.title}.` : "" },
];

function Criteria({ nodes }: { nodes: PublicCriterion[] }) {
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.code}>
          {n.code}. {n.name} — <strong>{formatNumber(n.maxPoints, n.maxPoints % 1 ? 1 : 0)} điểm</strong>
          {n.children.length ? <Criteria nodes={n.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** What this visitor does next: the steps are the same for everyone, the first door depends on who they are. */
function HowToEnter({ open }: { open: boolean }) {
  const root = useRouteLoaderData<{ user: { roles: string[] } | null }>("root");
  const door = entryDoorFor(root?.user ?? null);
  return (
    <section className="card" aria-labelledby="cach-tham-gia" id="tham-gia">
      <h2 id="cach-tham-gia">Cách tham gia</h2>
      <ol>
        <li>Đăng ký tài khoản cơ sở (chủ cơ sở hoặc người được cơ sở giao), rồi đăng ký thông tin cơ sở sản xuất.</li>
        <li>Thêm sản phẩm vào danh mục của cơ sở, điền hồ sơ sản phẩm, tải ảnh và tài liệu.</li>
        <li>Trong trang sản phẩm, chọn “Đăng ký tham gia” đợt này, kiểm tra lại rồi nộp hồ sơ trước hạn.</li>
        <li>Theo dõi kết quả thẩm định trong “Cơ sở của tôi”; nếu hồ sơ bị trả lại, bổ sung và nộp lại trước hạn.</li>
      </ol>
      {!open ? null : door === "sign-up" ? (
        <p className="actions">
          <Link className="btn" to="/signup">
            Đăng ký tài khoản cơ sở
          </Link>
          <Link className="btn secondary" to="/login?redirectTo=/facility">
            Đăng nhập
          </Link>
        </p>
      ) : door === "facility" ? (
        <p className="actions">
          <Link className="btn" to="/facility">
            Vào “Cơ sở của tôi” để đăng ký tham gia
          </Link>
        </p>
      ) : (
        <p className="alert info">
          Tài khoản bạn đang dùng là tài khoản cán bộ hoặc giám khảo, không dùng để nộp hồ sơ. Cơ sở sản xuất muốn tham gia cần một tài khoản cơ sở
          riêng: đăng xuất, rồi chọn “Đăng ký” để tạo tài khoản cơ sở.
        </p>
      )}
    </section>
  );
}

export default function CallForEntries() {
  const { call } = useLoaderData<typeof loader>();
  const open = call.phase === "open";
  const total = call.rubric.reduce((s, n) => s + n.maxPoints, 0);
  return (
    <>
      <p className="muted">
        <Link to="/rounds">Các đợt bình chọn</Link> › Thể lệ, mời tham gia
      </p>
      <h1>{call.title}</h1>
      <p className={`alert ${open ? "ok" : "info"}`} role="status">
        {call.phase === "upcoming" ? (
          <>
            Nhận hồ sơ từ <strong>{formatDateTime(call.registrationOpensAt)}</strong> đến <strong>{formatDateTime(call.registrationClosesAt)}</strong> (giờ Việt Nam).
          </>
        ) : open ? (
          <>
            Đang nhận hồ sơ. Hạn nộp: <strong>{formatDateTime(call.registrationClosesAt)}</strong> (giờ Việt Nam).
          </>
        ) : (
          <>Đã hết hạn nộp hồ sơ lúc {formatDateTime(call.registrationClosesAt)} (giờ Việt Nam); Ban tổ chức đang tiếp nhận và thẩm định hồ sơ.</>
        )}{" "}
        {open ? <a href="#tham-gia">Cách tham gia</a> : null}
      </p>

      <section className="card" aria-labelledby="h-info">
        <h2 id="h-info">Thông tin chung</h2>
        <dl className="facts">
          <dt>Cấp bình chọn</dt>
          <dd>
            {call.levelName} · {call.scopeName} · năm {call.year}
          </dd>
          <dt>Cơ quan tổ chức</dt>
          <dd>{call.authority}</dd>
          <dt>Nhận hồ sơ</dt>
          <dd>
            từ {formatDateTime(call.registrationOpensAt)} đến {formatDateTime(call.registrationClosesAt)} (giờ Việt Nam)
          </dd>
          <dt>Chấm điểm xong trước</dt>
          <dd>{formatDateTime(call.scoringClosesAt)}</dd>
          <dt>Điểm đạt</dt>
          <dd>
            từ {formatNumber(call.passMark, call.passMark % 1 ? 1 : 0)}/100 điểm (điểm bình quân của các giám khảo)
            {call.quota ? `; công nhận tối đa ${formatNumber(call.quota)} sản phẩm có điểm cao nhất` : ""}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="h-rules">
        <h2 id="h-rules">Điều kiện tham gia</h2>
        <ul>
          <li>Cơ sở công nghiệp nông thôn (doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác, hộ kinh doanh) tự sản xuất sản phẩm đăng ký.</li>
          <li>Mỗi hồ sơ là một sản phẩm hoặc một bộ sản phẩm; sản xuất được hàng loạt, không phải sản phẩm độc bản, đáp ứng nhu cầu thị trường.</li>
          <li>Không vi phạm quyền sở hữu trí tuệ; đạt các quy định về chất lượng, an toàn lao động, vệ sinh an toàn thực phẩm và môi trường.</li>
          {call.needsLowerCertificate ? <li>Sản phẩm đã được công nhận là sản phẩm công nghiệp nông thôn tiêu biểu cấp dưới và giấy chứng nhận còn hiệu lực.</li> : null}
        </ul>
      </section>

      <section className="card" aria-labelledby="h-groups">
        <h2 id="h-groups">Nhóm sản phẩm</h2>
        <ol>
          {call.groups.map((g) => (
            <li key={g.no}>{g.name}</li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="h-dossier">
        <h2 id="h-dossier">Hồ sơ gồm</h2>
        <ul>
          <li>Phiếu đăng ký và bản thuyết minh sản phẩm, điền trực tuyến: {DOSSIER_FIELDS.map((f) => f.label.toLowerCase()).join("; ")}.</li>
          <li>Ít nhất {MIN_PHOTOS} ảnh màu của sản phẩm (chính diện, bên cạnh, từ trên xuống).</li>
          {REQUIRED_DOC_TYPES.map((t) => (
            <li key={t}>{DOC_TYPES[t]} (tệp PDF, bắt buộc).</li>
          ))}
          {call.needsLowerCertificate ? <li>{DOC_TYPES.earlier_certificate} (tệp PDF, bắt buộc).</li> : null}
          <li>Các giấy tờ khác nếu có (PDF): giấy chứng nhận chất lượng, an toàn thực phẩm, giấy khen, bằng khen.</li>
        </ul>
      </section>

      <section className="card" aria-labelledby="h-criteria">
        <h2 id="h-criteria">Tiêu chí chấm điểm (tổng {formatNumber(total, total % 1 ? 1 : 0)} điểm)</h2>
        {call.rubric.length ? <Criteria nodes={call.rubric} /> : <p className="muted">Hội đồng bình chọn chưa công bố bộ tiêu chí chi tiết.</p>}
      </section>

      <HowToEnter open={open} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
