import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { PeriodPicker } from "~/components/PeriodPicker";
import { importFigures, MAX_IMPORT_BYTES } from "~/models/programme/import.server";
import { getOverview, latestPeriod } from "~/models/programme/programme.server";
import { approveAllFigures, approveFigures } from "~/models/programme/review.server";
import { periodLabel } from "~/models/programme/rules";
import { ApproveSchema, PeriodSchema } from "~/schemas/programme";
import { requirePermission } from "~/utils/auth.server";
import { formObject, parseForm } from "~/utils/forms";
import { formFailure, invalid, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast } from "~/utils/toast.server";

export const meta: MetaFunction = () => [{ title: "Số liệu khuyến công — Ban tổ chức — CNNT Tiêu biểu" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "programme:enter");
  const url = new URL(request.url);
  const latest = await latestPeriod(user);
  const parsed = PeriodSchema.safeParse({
    year: url.searchParams.get("year") || latest?.year || new Date().getFullYear(),
    periodMonths: url.searchParams.get("period") || latest?.periodMonths || 12,
  });
  const period = parsed.success ? parsed.data : { year: new Date().getFullYear(), periodMonths: 12 };
  const provinces = await getOverview({ actor: user, ...period });
  return json({ ...period, provinces, canApproveAny: provinces.some((p) => p.canApprove) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "programme:enter");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) {
    return formFailure(413, `Tệp quá lớn: tối đa ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  }
  const form = formObject(await readForm(request));
  const done = (period: { year: number; periodMonths: number }, message: string) =>
    redirectWithToast(`${new URL(request.url).pathname}?year=${period.year}&period=${period.periodMonths}`, { message });
  return withFormErrors(async () => {
    if (form.intent === "approve") {
      await requirePermission(request, "programme:approve");
      const parsed = parseForm(ApproveSchema, form, "Thiếu tỉnh hoặc kỳ báo cáo.");
      if (!parsed.ok) return invalid(parsed);
      const { approved } = await approveFigures({ actor: user, ...parsed.data });
      return done(parsed.data, `Đã duyệt ${approved} số liệu.`);
    }
    if (form.intent === "approve-all") {
      await requirePermission(request, "programme:approve");
      const parsed = parseForm(PeriodSchema, form, "Thiếu kỳ báo cáo.");
      if (!parsed.ok) return invalid(parsed);
      const r = await approveAllFigures({ actor: user, ...parsed.data });
      return done(parsed.data, `Đã duyệt ${r.figures} số liệu của ${r.provinces} tỉnh.`);
    }
    if (form.intent === "import") {
      const parsed = parseForm(PeriodSchema, form, "Chọn năm và kỳ báo cáo.");
      if (!parsed.ok) return invalid(parsed);
      const file = form.file;
      if (!(file instanceof Blob) || file.size === 0)
        return formFailure(400, "Chọn tệp .xlsx để nhập.", { file: "Chọn tệp .xlsx để nhập." });
      if (file.size > MAX_IMPORT_BYTES) return formFailure(413, `Tệp quá lớn: tối đa ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
      const r = await importFigures({ actor: user, ...parsed.data, file: await file.arrayBuffer() });
      return done(
        parsed.data,
        `Đã nhập ${r.rows} dòng (${r.created} mới, ${r.updated + r.corrected} cập nhật, ${r.corrected} đính chính số đã duyệt, ${r.unchanged} không đổi) và gửi duyệt.`,
      );
    }
    return formFailure(400, "Thao tác không hợp lệ.");
  });
}

export default function OrganizerProgramme() {
  const { year, periodMonths, provinces, canApproveAny } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const rowErrors = result && "fields" in result ? Object.entries(result.fields).filter(([k]) => k.startsWith("row-")) : [];
  const q = `year=${year}&period=${periodMonths}`;
  return (
    <>
      <h1>Số liệu chương trình khuyến công</h1>
      <p>
        Kế hoạch và kết quả thực hiện theo tỉnh. Cán bộ khuyến công tỉnh nhập hoặc nhập từ tệp Excel rồi gửi duyệt; Ban tổ chức
        khu vực duyệt. Sửa số đã duyệt sẽ được ghi nhật ký và phải duyệt lại.
      </p>
      <PeriodPicker year={year} periodMonths={periodMonths} />

      <FormError message={result && "formError" in result ? result.formError : null} />
      {rowErrors.length ? (
        <ul className="alert error" aria-label="Lỗi theo dòng" style={{ paddingLeft: "2rem" }}>
          {rowErrors.map(([k, m]) => (
            <li key={k}>{m}</li>
          ))}
        </ul>
      ) : null}

      <h2>
        Các tỉnh — {periodLabel(periodMonths).toLowerCase()} {year}
      </h2>
      {provinces.length === 0 ? (
        <p className="alert info">Tài khoản của bạn chưa được giao tỉnh hoặc khu vực nào.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tỉnh/thành phố</th>
                <th scope="col">Tình trạng</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {provinces.map((p) => (
                <tr key={p.code}>
                  <td>
                    <Link to={`/organizer/programme/${p.code}?${q}`}>{p.name}</Link>
                  </td>
                  <td>
                    {p.draft + p.submitted + p.approved === 0 ? <span className="muted">chưa có số liệu</span> : null}
                    {p.draft ? <span className="badge">{p.draft} nháp</span> : null}{" "}
                    {p.submitted ? <span className="badge warn">{p.submitted} chờ duyệt</span> : null}{" "}
                    {p.approved ? <span className="badge ok">{p.approved} đã duyệt</span> : null}{" "}
                    {p.warnings ? <span className="badge bad">{p.warnings} số vượt 200% kế hoạch</span> : null}
                  </td>
                  <td>
                    {p.canApprove && p.submitted > 0 ? (
                      <>
                        <Link to={`/organizer/programme/${p.code}?${q}#h-review`}>Xem số cũ, số mới</Link>{" "}
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="approve" />
                          <input type="hidden" name="provinceCode" value={p.code} />
                          <input type="hidden" name="year" value={year} />
                          <input type="hidden" name="periodMonths" value={periodMonths} />
                          <button className="btn small" type="submit" aria-label={`Duyệt số liệu ${p.name}`}>
                            Duyệt
                          </button>
                        </Form>
                      </>
                    ) : (
                      <Link to={`/organizer/programme/${p.code}?${q}`}>Nhập số liệu</Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canApproveAny ? (
        <div className="actions" style={{ marginTop: ".75rem" }}>
          <p className="hint" style={{ margin: 0 }}>
            Bạn là Ban tổ chức khu vực: bấm “Duyệt” để đưa số liệu của tỉnh lên báo cáo công khai.
          </p>
          {provinces.some((p) => p.canApprove && p.submitted > 0) ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="approve-all" />
              <input type="hidden" name="year" value={year} />
              <input type="hidden" name="periodMonths" value={periodMonths} />
              <button className="btn small secondary" type="submit">
                Duyệt tất cả số liệu chờ duyệt
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}

      <h2>Nhập từ tệp Excel</h2>
      <div className="card">
        <p>
          <a href={`/organizer/programme/mau.xlsx?${q}`} download>
            Tải tệp mẫu (.xlsx) cho {periodLabel(periodMonths).toLowerCase()} {year}
          </a>{" "}
          — đã điền sẵn số liệu hiện có. Số viết 4.875 hay 4875, 7.456,43 hay 7456.43 đều được. Tệp có dòng lỗi thì không dòng nào
          được nhập.
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="import" />
          <input type="hidden" name="year" value={year} />
          <input type="hidden" name="periodMonths" value={periodMonths} />
          <div>
            <label htmlFor="file">
              Tệp số liệu {periodLabel(periodMonths).toLowerCase()} {year}
            </label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              required
            />
          </div>
          <div>
            <button className="btn" type="submit" disabled={busy}>
              Nhập và gửi duyệt
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
