import { Link } from "@remix-run/react";

const TITLES: Record<number, { title: string; text: string }> = {
  400: { title: "Yêu cầu không hợp lệ", text: "Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra và thử lại." },
  403: { title: "Không có quyền truy cập", text: "Tài khoản của bạn không có quyền xem trang này." },
  404: { title: "Không tìm thấy trang", text: "Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc đã được chuyển đi." },
  429: { title: "Quá nhiều yêu cầu", text: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại." },
  503: { title: "Hệ thống tạm thời gián đoạn", text: "Cơ sở dữ liệu đang tạm thời không truy cập được. Vui lòng thử lại sau ít phút." },
};

export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const known = TITLES[status] ?? {
    title: "Đã xảy ra lỗi",
    text: "Hệ thống gặp sự cố khi xử lý yêu cầu. Chúng tôi đã ghi nhận; vui lòng thử lại sau.",
  };
  return (
    <div className="card" role="alert">
      <p className="muted">Mã lỗi {status}</p>
      <h1>{known.title}</h1>
      <p>{message && status < 500 ? message : known.text}</p>
      <p>
        <Link to="/">Về trang chủ</Link>
      </p>
    </div>
  );
}
