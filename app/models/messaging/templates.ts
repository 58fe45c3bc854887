/**
 * The words of every message (Vietnamese, plain text plus simple HTML). Pure: the outbox stores
 * what these return, so a message reads the same when it is resent later.
 */
import { formatDate, formatDateTime } from "../../utils/format";

export interface MessageContent {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A message of a few paragraphs and at most one button link. */
export function compose(input: { subject: string; greeting?: string; paragraphs: string[]; link?: { label: string; url: string }; footer?: string }): MessageContent {
  const footer = input.footer ?? "Thư này được gửi tự động từ nền tảng CNNT Tiêu biểu. Vui lòng không trả lời thư này.";
  const lines = [input.greeting ?? "Xin chào,", "", ...input.paragraphs.flatMap((p) => [p, ""])];
  if (input.link) lines.push(`${input.link.label}: ${input.link.url}`, "");
  lines.push("—", footer);
  const html = [
    `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escape(input.subject)}</title></head>`,
    `<body style="font-family:Arial,sans-serif;line-height:1.5;color:#1a1a1a;max-width:36rem">`,
    `<p>${escape(input.greeting ?? "Xin chào,")}</p>`,
    ...input.paragraphs.map((p) => `<p>${escape(p)}</p>`),
    input.link
      ? `<p><a href="${escape(input.link.url)}" style="display:inline-block;padding:.5rem 1rem;background:#0b5c3b;color:#fff;text-decoration:none;border-radius:4px">${escape(input.link.label)}</a></p><p style="font-size:.9em;color:#555">Hoặc mở địa chỉ: ${escape(input.link.url)}</p>`
      : "",
    `<hr><p style="font-size:.85em;color:#555">${escape(footer)}</p></body></html>`,
  ].join("\n");
  return { subject: input.subject, text: lines.join("\n"), html };
}

const hello = (name?: string | null) => (name ? `Xin chào ${name},` : "Xin chào,");

export function verifyEmailMessage(input: { name: string; url: string; expiresAt: Date }): MessageContent {
  return compose({
    subject: "Xác nhận địa chỉ email — CNNT Tiêu biểu",
    greeting: hello(input.name),
    paragraphs: [
      "Bạn (hoặc ai đó dùng địa chỉ này) vừa đăng ký tài khoản trên nền tảng CNNT Tiêu biểu.",
      `Hãy xác nhận địa chỉ email để có thể nộp hồ sơ và nhận lời mời. Liên kết dùng được một lần, hết hạn lúc ${formatDateTime(input.expiresAt)} (sau 24 giờ).`,
      "Nếu bạn không đăng ký, hãy bỏ qua thư này.",
    ],
    link: { label: "Xác nhận email", url: input.url },
  });
}

export function alreadyRegisteredMessage(input: { name: string; loginUrl: string; resetUrl: string }): MessageContent {
  return compose({
    subject: "Có người vừa đăng ký bằng địa chỉ email của bạn — CNNT Tiêu biểu",
    greeting: hello(input.name),
    paragraphs: [
      "Có người vừa thử đăng ký một tài khoản mới bằng địa chỉ email này, nhưng địa chỉ đã có tài khoản. Không có tài khoản mới nào được tạo.",
      `Nếu đó là bạn, hãy đăng nhập tại ${input.loginUrl}. Nếu bạn quên mật khẩu, hãy đặt lại mật khẩu bằng liên kết bên dưới.`,
      "Nếu không phải bạn, bạn không cần làm gì.",
    ],
    link: { label: "Đặt lại mật khẩu", url: input.resetUrl },
  });
}

export function resetPasswordMessage(input: { name: string; url: string }): MessageContent {
  return compose({
    subject: "Đặt lại mật khẩu — CNNT Tiêu biểu",
    greeting: hello(input.name),
    paragraphs: [
      "Bạn (hoặc ai đó) vừa yêu cầu đặt lại mật khẩu cho tài khoản này.",
      "Liên kết dùng được một lần và hết hạn sau 1 giờ. Khi đặt mật khẩu mới, mọi phiên đăng nhập của tài khoản đều bị đăng xuất.",
      "Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.",
    ],
    link: { label: "Đặt mật khẩu mới", url: input.url },
  });
}

export function unlockMessage(input: { name: string; url: string }): MessageContent {
  return compose({
    subject: "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần — CNNT Tiêu biểu",
    greeting: hello(input.name),
    paragraphs: [
      "Tài khoản của bạn vừa bị nhập sai mật khẩu nhiều lần từ nhiều nơi nên đã bị tạm khóa đăng nhập.",
      "Nếu bạn muốn đăng nhập ngay, hãy mở khóa bằng liên kết bên dưới (dùng một lần, hết hạn sau 1 giờ). Nếu không phải bạn nhập sai, hãy cân nhắc đổi mật khẩu.",
    ],
    link: { label: "Mở khóa tài khoản", url: input.url },
  });
}

export function invitationMessage(input: { what: string; inviter: string; url: string; expiresAt: Date }): MessageContent {
  return compose({
    subject: `Lời mời: ${input.what} — CNNT Tiêu biểu`,
    paragraphs: [
      `${input.inviter} mời bạn ${input.what} trên nền tảng CNNT Tiêu biểu.`,
      `Để nhận lời, hãy mở liên kết, đăng nhập (hoặc đăng ký) bằng chính địa chỉ email này và xác nhận. Lời mời hết hạn ngày ${formatDate(input.expiresAt)}.`,
      "Nếu bạn không biết người mời, hãy bỏ qua thư này: không có quyền nào được cấp khi bạn chưa nhận lời.",
    ],
    link: { label: "Xem lời mời", url: input.url },
  });
}

/** A notification's e-mail: its title, body and link. */
export function notificationMessage(input: { name: string; title: string; body: string; url?: string; prefsUrl: string; optional: boolean }): MessageContent {
  return compose({
    subject: `${input.title} — CNNT Tiêu biểu`,
    greeting: hello(input.name),
    paragraphs: [input.body],
    link: input.url ? { label: "Xem chi tiết", url: input.url } : undefined,
    footer: input.optional
      ? `Thư tự động từ nền tảng CNNT Tiêu biểu. Bạn có thể tắt loại thông báo này bằng email tại ${input.prefsUrl}.`
      : "Thư tự động từ nền tảng CNNT Tiêu biểu. Thông báo này có hiệu lực pháp lý nên luôn được gửi.",
  });
}

/** The one-time link that records a complaint sent by an e-mail address without an account. */
export function complaintLinkMessage(input: { roundTitle: string; subject: string; url: string; expiresAt: Date }): MessageContent {
  return compose({
    subject: "Xác nhận gửi khiếu nại — CNNT Tiêu biểu",
    paragraphs: [
      `Địa chỉ email này vừa được dùng để gửi một khiếu nại về ${input.subject} đối với kết quả dự kiến của đợt “${input.roundTitle}”.`,
      `Khiếu nại chỉ được ghi nhận khi bạn mở liên kết và bấm xác nhận. Liên kết dùng được một lần, hết hạn lúc ${formatDateTime(input.expiresAt)}, và phải được xác nhận trong thời hạn nhận khiếu nại.`,
      "Nếu bạn không gửi khiếu nại nào, hãy bỏ qua thư này: không có gì được ghi nhận.",
    ],
    link: { label: "Xác nhận gửi khiếu nại", url: input.url },
  });
}

/** The receipt of a complaint recorded through the e-mail link (its code and the receipt page). */
export function complaintReceiptMessage(input: { code: string; roundTitle: string; url: string }): MessageContent {
  return compose({
    subject: `Đã nhận khiếu nại ${input.code} — CNNT Tiêu biểu`,
    paragraphs: [
      `Khiếu nại của bạn đối với kết quả dự kiến của đợt “${input.roundTitle}” đã được ghi nhận với mã ${input.code}.`,
      "Giấy biên nhận và kết quả giải quyết xem tại liên kết dưới đây (giữ riêng liên kết này: ai có nó đều xem được biên nhận).",
    ],
    link: { label: "Xem giấy biên nhận", url: input.url },
  });
}
