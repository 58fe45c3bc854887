import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getMessage } from "~/models/messaging/outbox.server";
import { formatDateTime } from "~/utils/format";
import { orErrorPage } from "~/utils/http.server";
import { requireDevMailbox } from "~/utils/sender.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject ?? "Thư"} — Hộp thư thử nghiệm` }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  requireDevMailbox();
  return orErrorPage(async () => {
    const m = await getMessage(Number(params.id));
    return json({ id: m.id, to: m.recipient, subject: m.subject, text: m.bodyText, at: formatDateTime(m.createdAt), status: m.status });
  });
}

const URL_RE = /(https?:\/\/[^\s]+)/g;

export default function DevMessage() {
  const m = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mail">← Hộp thư thử nghiệm</Link>
      </p>
      <h1>{m.subject}</h1>
      <p className="muted">
        Tới {m.to} — {m.at}
      </p>
      <div className="card mail-body">
        {m.text.split(URL_RE).map((part, i) =>
          i % 2 === 1 ? (
            <a key={i} href={part}>
              {part}
            </a>
          ) : (
            part
          ),
        )}
      </div>
    </>
  );
}
