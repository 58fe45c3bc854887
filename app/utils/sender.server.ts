/**
 * Where messages leave the platform: one small interface (issue 16 §7). E-mail over SMTP is the
 * only real channel today; an SMS or Zalo sender implements the same `send` and is picked by the
 * message's channel, so no flow changes when one is added. No SMS gateway is reachable here, so
 * none is faked.
 */
import type nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";

import { env } from "./env.server";
import { onFirstUse } from "./on-first-use.server";

const mailer = onFirstUse<typeof nodemailer>("nodemailer");

export interface OutgoingMessage {
  channel: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MessageSender {
  /** "smtp", "dev", later "sms"/"zalo": stored on the outbox row as the transport used. */
  readonly transport: string;
  /** Resolves once the channel accepted the message; rejects with the channel's error. */
  send(message: OutgoingMessage): Promise<void>;
}

/** E-mail over SMTP (nodemailer); `SMTP_URL` like smtp://user:pass@host:587. */
export class SmtpSender implements MessageSender {
  readonly transport = "smtp";
  private transporter: Transporter;
  constructor(
    url: string,
    private from: string,
  ) {
    // Short timeouts: the worker retries later rather than hold a message for minutes.
    const options = { url, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10000 } as SMTPTransport.Options;
    this.transporter = mailer().createTransport(options);
  }
  async send(message: OutgoingMessage) {
    await this.transporter.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
  }
  close() {
    this.transporter.close();
  }
}

/**
 * Without SMTP_URL the messages stay in the outbox and are read at /dev/mail (the local mailbox of
 * the demo): "sending" only records that they were delivered there.
 */
export class DevMailboxSender implements MessageSender {
  readonly transport = "dev";
  async send() {}
}

/**
 * The channel's error in Vietnamese for the outbox (the admin reads it), with the original text
 * kept after it for whoever runs the mail server.
 */
export function describeSendError(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; message?: string } | undefined;
  const raw = String(e?.message ?? error);
  const code = e?.code ?? "";
  let why = "Gửi không thành công";
  if (
    ["ECONNREFUSED", "ECONNECTION", "ETIMEDOUT", "ENOTFOUND", "ECONNRESET", "ESOCKET", "EDNS"].includes(code) ||
    /ECONNREFUSED|ETIMEDOUT|ENOTFOUND/.test(raw)
  )
    why = "Không kết nối được máy chủ thư (SMTP); thư sẽ được gửi lại tự động";
  else if (code === "EAUTH") why = "Máy chủ thư từ chối đăng nhập (kiểm tra SMTP_URL)";
  else if (code === "EENVELOPE" || (e?.responseCode ?? 0) >= 550) why = "Máy chủ thư từ chối địa chỉ người nhận";
  return `${why}: ${raw}`.slice(0, 500);
}

/** The sender for a channel under the current configuration. */
export function senderFor(channel: string): MessageSender {
  if (channel !== "email") throw new Error(`Chưa có kênh gửi "${channel}" (chỉ có email).`);
  const config = env();
  if (!config.SMTP_URL) return new DevMailboxSender();
  return cachedSmtp(config.SMTP_URL, config.MAIL_FROM);
}

let smtp: { url: string; sender: SmtpSender } | undefined;
function cachedSmtp(url: string, from: string) {
  if (smtp?.url !== url) {
    smtp?.sender.close();
    smtp = { url, sender: new SmtpSender(url, from) };
  }
  return smtp.sender;
}

/** The local mailbox exists only without SMTP, and never in production with SMTP configured. */
export function devMailboxEnabled(): boolean {
  return !env().SMTP_URL;
}

/** Loader guard of /dev/mail: 404 when SMTP is configured. */
export function requireDevMailbox() {
  if (!devMailboxEnabled()) throw new Response("Không tìm thấy trang.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
