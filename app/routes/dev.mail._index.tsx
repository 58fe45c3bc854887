import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { listMailbox } from "~/models/messaging/outbox.server";
import { formatDateTime } from "~/utils/format";
import { requireDevMailbox } from "~/utils/sender.server";

export const meta: MetaFunction = () => [{ title: "Hộp thư thử nghiệm — CNNT Tiêu biểu" }, { name: "robots", content: "noindex" }];

/** The local mailbox of the demo: every e-mail the platform wrote, while no SMTP server is configured. */
export async function loader({ request }: LoaderFunctionArgs) {
  requireDevMailbox();
  const to = new URL(request.url).searchParams.get("to")?.trim() || undefined;
  const rows = await listMailbox({ to });
  return json({ to: to ?? "", messages: rows.map((m) => ({ id: m.id, to: m.recipient, subject: m.subject, at: formatDateTime(m.createdAt) })) });
}

export default function DevMailbox() {
  const { to, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Hộp thư thử nghiệm</h1>
      <p className="alert info">
        Chưa cấu hình máy chủ thư (SMTP_URL), nên mọi thư được giữ tại đây để bạn mở các liên kết. Trang này không tồn tại khi có SMTP.
      </p>
      <Form method="get" className="actions">
        <label htmlFor="to">Người nhận</label>
        <input id="to" name="to" type="email" defaultValue={to} />
        <button type="submit" className="btn secondary small">
          Lọc
        </button>
      </Form>
      {messages.length === 0 ? (
        <p className="muted">Chưa có thư nào.</p>
      ) : (
        <ul className="stack">
          {messages.map((m) => (
            <li key={m.id}>
              <Link to={`/dev/mail/${m.id}`}>{m.subject}</Link>
              <br />
              <span className="muted">
                Tới {m.to} — {m.at}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
