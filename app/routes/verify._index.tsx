import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";

import publicStyles from "~/styles/public.css";

/** Has an English mirror at /en/… (app/routes/en.*): the header offers the language switch and hreflang links. */
export const handle = { english: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];

export const meta: MetaFunction = () => [
  { title: "Tra cứu giấy chứng nhận — CNNT Tiêu biểu" },
  { name: "description", content: "Kiểm tra giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu và Bằng khen còn hiệu lực hay không, bằng mã xác minh in trên giấy." },
];

/** The form is a GET to this page: a typed code goes to its verification page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("code");
  if (code !== null) {
    const clean = code.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 40);
    if (clean) throw redirect(`/verify/${clean}`);
  }
  return null;
}

export default function VerifyIndex() {
  return (
    <>
      <h1>Tra cứu giấy chứng nhận</h1>
      <div className="card">
        <p>
          Mỗi Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu và mỗi Bằng khen cấp trên nền tảng này có một mã xác minh gồm 14 ký
          tự (in dưới mã QR). Nhập mã để biết giấy còn hiệu lực, đã hết hiệu lực hay đã bị thu hồi.
        </p>
        <Form method="get" className="stack" role="search">
          <label htmlFor="code">Mã xác minh</label>
          <input id="code" name="code" className="code-input" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={40} required placeholder="Ví dụ: ABCD-EFGH-JKMN-PQ" />
          <p className="hint">Không phân biệt chữ hoa, chữ thường; có thể gõ hoặc bỏ dấu gạch ngang.</p>
          <div className="actions">
            <button className="btn" type="submit">
              Tra cứu
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
