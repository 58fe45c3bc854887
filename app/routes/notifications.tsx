import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { NOTIFICATION_KINDS, OPTIONAL_KINDS } from "~/models/shared/notification-kinds";
import { emailPreferences, listNotifications, markRead, saveEmailPreferences } from "~/models/shared/notification.server";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { formObject } from "~/utils/forms";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Thông báo — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [items, prefs] = await Promise.all([listNotifications({ userId: user.id }), emailPreferences(user.id)]);
  return json({
    items: items.map((n) => ({ id: n.id, title: n.title, body: n.body, link: n.link, unread: !n.readAt, at: formatDateTime(n.createdAt) })),
    prefs,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = formObject(await readForm(request), ["email"]);
  if (form.intent === "prefs") {
    const enabled = Array.isArray(form.email) ? form.email.map(String) : [];
    await saveEmailPreferences({ userId: user.id, enabled });
    return redirect("/notifications?luu=ok");
  }
  await markRead({ userId: user.id });
  return redirect("/notifications");
}

export default function Notifications() {
  const { items, prefs } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Thông báo</h1>
      {params.get("luu") ? (
        <div className="alert ok" role="status">
          Đã lưu lựa chọn nhận thông báo qua email.
        </div>
      ) : null}
      <section className="card">
        {items.length === 0 ? (
          <p className="muted">Chưa có thông báo nào.</p>
        ) : (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="read" />
              <button type="submit" className="btn secondary small">
                Đánh dấu tất cả là đã đọc
              </button>
            </Form>
            <ul className="stack">
              {items.map((n) => (
                <li key={n.id}>
                  <p>
                    <strong>{n.unread ? "● " : ""}{n.title}</strong> <span className="muted">— {n.at}</span>
                  </p>
                  <p>{n.body}</p>
                  {n.link ? <Link to={n.link}>Xem chi tiết</Link> : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="card">
        <h2>Nhận thông báo qua email</h2>
        <p className="muted">
          Thông báo có hiệu lực pháp lý (hồ sơ bị trả lại, không đủ điều kiện, kết quả bình chọn) luôn được gửi qua email.
        </p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="prefs" />
          <fieldset>
            <legend>Các thông báo khác</legend>
            {OPTIONAL_KINDS.map((k) => (
              <label key={k} className="check">
                <input type="checkbox" name="email" value={k} defaultChecked={prefs[k]} /> {NOTIFICATION_KINDS[k].label}
              </label>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="btn">
              Lưu lựa chọn
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
