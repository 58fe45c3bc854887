import type { MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "CNNT Tiêu biểu — Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu" },
  {
    name: "description",
    content: "Tra cứu sản phẩm công nghiệp nông thôn tiêu biểu các cấp, Bằng khen khuyến công và xác minh giấy chứng nhận.",
  },
];

export default function Home() {
  return (
    <>
      <h1>Sản phẩm công nghiệp nông thôn tiêu biểu</h1>
      <div className="card">
        <p>
          Chương trình bình chọn sản phẩm công nghiệp nông thôn tiêu biểu do Bộ Công Thương và các địa phương tổ chức nhằm phát
          hiện, tôn vinh những sản phẩm do các cơ sở công nghiệp nông thôn làm ra có chất lượng, giá trị sử dụng cao, có tiềm năng
          phát triển sản xuất và mở rộng thị trường.
        </p>
        <p>
          Sản phẩm được bình chọn qua các cấp xã (trước đây là cấp huyện), tỉnh, khu vực và quốc gia theo thang điểm 100; sản phẩm
          đạt từ 70 điểm trở lên được công nhận và cấp giấy chứng nhận. Trên nền tảng này, cơ sở đăng ký sản phẩm, hội đồng chấm
          điểm, ban tổ chức công bố kết quả và người dân tra cứu, xác minh giấy chứng nhận.
        </p>
      </div>
      <Form method="get" action="/search" role="search" className="card">
        <label htmlFor="q">Tìm sản phẩm, cơ sở, tập thể và cá nhân được khen thưởng</label>
        <div className="actions">
          <input id="q" name="q" type="search" placeholder="Ví dụ: nuoc mam, gom Bat Trang" style={{ flex: 1 }} />
          <button className="btn" type="submit">
            Tìm kiếm
          </button>
        </div>
      </Form>
    </>
  );
}
