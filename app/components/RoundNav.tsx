import { NavLink } from "@remix-run/react";

/** Tabs of an organiser's round pages (links work without JavaScript). */
export function RoundNav({ slug, title, status }: { slug: string; title: string; status: string }) {
  const base = `/organizer/rounds/${slug}`;
  const tabs = [
    [base, "Tổng quan"],
    [`${base}/rubric`, "Thang điểm"],
    [`${base}/nominations`, "Đề nghị và chỉ tiêu"],
    [`${base}/screening`, "Thẩm định"],
    [`${base}/council`, "Hội đồng và phân công"],
    [`${base}/results`, "Kết quả"],
    [`${base}/hoi-dong`, "Hội đồng bình chọn và quyết định"],
    [`${base}/binh-chon`, "Bình chọn của công chúng"],
    [`${base}/certificates`, "Giấy chứng nhận"],
    [`${base}/minutes`, "Biên bản"],
  ] as const;
  return (
    <div className="no-print">
      <p className="muted" style={{ margin: 0 }}>
        <NavLink to="/organizer">Ban tổ chức</NavLink> › {status}
      </p>
      <h1 style={{ marginTop: ".25rem" }}>{title}</h1>
      <nav aria-label="Các mục của đợt bình chọn" className="actions" style={{ marginBottom: "1rem" }}>
        {tabs.map(([to, label]) => (
          <NavLink key={to} to={to} end className={({ isActive }) => `btn small ${isActive ? "" : "secondary"}`}>
            {label}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
