/**
 * The product photos form. Without JavaScript it posts every chosen photo in one request (intent
 * "photos"). With JavaScript each photo is its own request (intent "photo") with a key the page
 * makes, sent one after another with a progress bar each: a dropped connection costs one photo,
 * which is retried with the same key, so the server keeps it once — never half, never twice.
 */
import { Form, useRevalidator } from "@remix-run/react";
import { useRef, useState } from "react";

import { Field } from "./FormField";

const ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif";
const ROUTE_ID = "routes/facility.products.$productId";
const ATTEMPTS = 3;

interface Item {
  key: string;
  name: string;
  loaded: number;
  total: number;
  state: "waiting" | "sending" | "done" | "failed";
  message?: string;
}

function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One photo, one request. Resolves with the server's answer; rejects when the connection failed (worth a retry). */
function sendPhoto(file: File, key: string, onProgress: (loaded: number, total: number) => void): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${window.location.pathname}?_data=${encodeURIComponent(ROUTE_ID)}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onerror = () => reject(new Error("network"));
    xhr.onload = () => {
      if (xhr.status >= 500) return reject(new Error(String(xhr.status)));
      let body: { message?: string; formError?: string } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status < 300) resolve({ ok: true, message: body?.message ?? "Đã lưu ảnh." });
      else resolve({ ok: false, message: body?.formError ?? (xhr.responseText.slice(0, 300) || `Không lưu được ảnh (mã lỗi ${xhr.status}).`) });
    };
    const form = new FormData();
    form.append("intent", "photo");
    form.append("uploadKey", key);
    form.append("photo", file, file.name);
    xhr.send(form);
  });
}

export function PhotoUploader({ error, busy }: { error?: string; busy: boolean }) {
  const [items, setItems] = useState<Item[]>([]);
  const [sending, setSending] = useState(false);
  const [summary, setSummary] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const revalidator = useRevalidator();
  const update = (key: string, patch: Partial<Item>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  async function upload(files: File[]) {
    const list = files.map((f) => ({ key: newKey(), name: f.name, loaded: 0, total: f.size, state: "waiting" as const }));
    setItems(list);
    setSending(true);
    setSummary(null);
    let saved = 0;
    for (const [n, file] of files.entries()) {
      const { key } = list[n];
      update(key, { state: "sending" });
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = await sendPhoto(file, key, (loaded, total) => update(key, { loaded, total }));
          update(key, { state: answer.ok ? "done" : "failed", message: answer.message, loaded: file.size });
          if (answer.ok) saved++;
          break;
        } catch {
          if (attempt >= ATTEMPTS) {
            update(key, { state: "failed", message: "Mất kết nối khi gửi ảnh này; ảnh chưa được lưu. Hãy chọn lại ảnh và gửi lại." });
            break;
          }
          update(key, { message: `Mất kết nối, đang gửi lại (lần ${attempt + 1})…`, loaded: 0 });
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
    }
    setSending(false);
    // The same words as the answer to the no-JS form.
    setSummary(saved ? `Đã lưu ${saved} ảnh.` : null);
    if (input.current) input.current.value = "";
    revalidator.revalidate();
  }

  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="stack"
      onSubmit={(event) => {
        const files = Array.from(input.current?.files ?? []);
        if (!files.length || typeof XMLHttpRequest === "undefined") return; // the server answers as without JavaScript
        event.preventDefault();
        void upload(files);
      }}
    >
      <input type="hidden" name="intent" value="photos" />
      <Field name="photos" label="Thêm ảnh" error={error}>
        <input ref={input} id="f-photos" type="file" name="photos" accept={ACCEPT} multiple />
      </Field>
      {summary ? (
        <div className="alert ok" role="status">
          {summary}
        </div>
      ) : null}
      {items.length ? (
        <ul className="upload-list" aria-live="polite" style={{ listStyle: "none", padding: 0 }}>
          {items.map((i) => (
            <li key={i.key} data-state={i.state}>
              <span>{i.name}</span>{" "}
              <progress max={i.total || 1} value={i.loaded} aria-label={`Tiến độ tải ảnh ${i.name}`} />{" "}
              <span className={i.state === "failed" ? "field-error" : "muted"}>
                {i.message ?? (i.state === "waiting" ? "Đang chờ…" : i.state === "sending" ? `${Math.round((100 * i.loaded) / (i.total || 1))}%` : "")}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn" disabled={busy || sending}>
          {busy || sending ? "Đang tải lên…" : "Tải ảnh lên"}
        </button>
      </div>
    </Form>
  );
}
