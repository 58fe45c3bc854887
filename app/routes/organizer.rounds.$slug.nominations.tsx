import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { FormError } from "~/components/FormField";
import { RoundNav } from "~/components/RoundNav";
import { requireRoundInScope } from "~/models/entry/entry.server";
import { listHolidays, saveHoliday } from "~/models/round/holiday.server";
import { INTAKE_MODE_NAMES } from "~/models/round/nomination-rules";
import { listLetters } from "~/models/round/nomination-view.server";
import { listQuotas, nominate, nominationTargets, recognisedEntries, setIntakeMode, setQuota } from "~/models/round/nomination.server";
import { canNominateFrom, STATUS_NAMES } from "~/models/round/rules";
import { requirePermission } from "~/utils/auth.server";
import { formFailure, orErrorPage, readForm, withFormErrors } from "~/utils/http.server";
import { redirectWithToast, samePage } from "~/utils/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Đề nghị và chỉ tiêu — ${data?.round.title ?? ""}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "round:manage");
  return orErrorPage(async () => {
    const round = await requireRoundInScope({ userId: user.id, slug: String(params.slug) });
    const decided = canNominateFrom(round);
    return json({
      round: { slug: round.slug, title: round.title, intakeMode: round.intakeMode, year: round.year, level: round.level, statusName: STATUS_NAMES[round.status] },
      quotas: await listQuotas(round.id),
      letters: await listLetters(round.id),
      holidays: await listHolidays(round.year),
      targets: decided ? (await nominationTargets(round)).map((t) => ({ slug: t.slug, title: t.title })) : [],
      recognised: decided ? (await recognisedEntries(round.id)).map((e) => ({ ...e, certificateRevoked: !!e.certificateRevoked })) : [],
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "round:manage");
  const form = await readForm(request);
  const slug = String(params.slug);
  const s = (k: string) => String(form.get(k) ?? "");
  return withFormErrors(async () => {
    await requireRoundInScope({ userId: user.id, slug });
    const intent = s("intent");
    let message = "Đã lưu.";
    if (intent === "mode") await setIntakeMode({ actorId: user.id, slug, mode: s("mode") });
    else if (intent === "quota") await setQuota({ actorId: user.id, slug, provinceCode: s("provinceCode"), places: s("places") });
    else if (intent === "holiday") await saveHoliday({ actorId: user.id, day: s("day"), name: s("name"), remove: s("remove") === "1" });
    else if (intent === "nominate") {
      const file = form.get("pdf");
      const pdf = file instanceof File && file.size > 0 ? { bytes: Buffer.from(await file.arrayBuffer()), name: file.name } : null;
      const r = await nominate({
        actorId: user.id,
        fromSlug: slug,
        toSlug: s("toSlug"),
        entryIds: form.getAll("entryIds").map(Number),
        letterNo: s("letterNo"),
        letterDate: s("letterDate"),
        signer: s("signer"),
        pdf,
      });
      message = `Đã gửi đề nghị ${r.count} sản phẩm kèm công văn.`;
    } else return formFailure(400, "Thao tác không hợp lệ.");
    return redirectWithToast(samePage(request), { message });
  });
}

export default function Nominations() {
  const { round, quotas, letters, holidays, targets, recognised } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const err = (k: string) => (data && "fields" in data ? (data.fields as Record<string, string>)[k] : undefined);
  return (
    <>
      <RoundNav slug={round.slug} title={round.title} status={round.statusName} />
      <h2>Đề nghị lên cấp trên, chỉ tiêu và hạn xử lý</h2>
      <FormError message={data && "formError" in data ? data.formError : null} />

      <section className="card stack">
        <h2>Cách nhận hồ sơ</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="mode" />
          {Object.entries(INTAKE_MODE_NAMES).map(([k, v]) => (
            <label key={k}>
              <input type="radio" name="mode" value={k} defaultChecked={round.intakeMode === k} /> {v}
            </label>
          ))}
          <div className="actions">
            <button type="submit" className="btn">
              Lưu cách nhận hồ sơ
            </button>
          </div>
        </Form>
      </section>

      {round.intakeMode === "nomination" ? (
        <>
          <section className="card stack">
            <h2>Số suất của từng tỉnh</h2>
            <div className="table-wrap">
<table>
              <thead>
                <tr>
                  <th>Tỉnh</th>
                  <th>Số suất</th>
                  <th>Đã đề nghị</th>
                </tr>
              </thead>
              <tbody>
                {quotas.map((q) => (
                  <tr key={q.provinceCode}>
                    <td>{q.provinceName}</td>
                    <td>{q.places}</td>
                    <td>{q.used}</td>
                  </tr>
                ))}
              </tbody>
            </table>
</div>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="quota" />
              <label htmlFor="provinceCode">Mã tỉnh</label>
              <input id="provinceCode" name="provinceCode" placeholder="ninh-binh" />
              <label htmlFor="places">Số suất</label>
              <input id="places" name="places" inputMode="numeric" />
              <button type="submit" className="btn">
                Lưu số suất
              </button>
              {err("provinceCode") || err("places") ? <p className="field-error">{err("provinceCode") ?? err("places")}</p> : null}
            </Form>
          </section>

          <section className="card stack" data-testid="letters">
            <h2>Công văn đề nghị đã nhận và hạn xử lý (30 ngày làm việc)</h2>
            {letters.length === 0 ? <p>Chưa nhận công văn nào.</p> : null}
            {letters.map((l) => (
              <div key={l.id} className="stack">
                <p>
                  <strong>
                    {l.provinceName}: công văn {l.letterNo} ngày {l.letterDate}
                  </strong>{" "}
                  ({l.signer}).{" "}
                  <span data-testid="clock">
                    {l.clock
                      ? `Hồ sơ đủ từ ${l.clock.startedOn}; hạn xử lý ${l.clock.dueOn}; đã dùng ${l.clock.used}, còn ${l.clock.left} ngày làm việc${l.clock.overdue ? " — QUÁ HẠN" : ""}.`
                      : "Chờ cơ sở xác nhận và hoàn thiện hồ sơ (hạn xử lý tính từ khi đủ hồ sơ)."}
                  </span>
                </p>
                <div className="table-wrap">
<table>
                  <thead>
                    <tr>
                      <th>Sản phẩm</th>
                      <th>Cơ sở</th>
                      <th>Nhóm</th>
                      <th>Điểm</th>
                      <th>Số giấy chứng nhận</th>
                      <th>Mã hồ sơ</th>
                    </tr>
                  </thead>
                  <tbody>
                    {l.items.map((i) => (
                      <tr key={`${l.id}-${i.productName}`}>
                        <td>{i.productName}</td>
                        <td>{i.facilityName}</td>
                        <td>{i.groupNo}</td>
                        <td>{i.score ?? "—"}</td>
                        <td>{i.certificateSerial ?? "—"}</td>
                        <td>{i.entryCode ?? "chưa nộp"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
</div>
              </div>
            ))}
          </section>
        </>
      ) : null}

      {targets.length ? (
        <section className="card stack">
          <h2>Đề nghị sản phẩm lên cấp trên</h2>
          <Form method="post" encType="multipart/form-data" className="stack">
            <input type="hidden" name="intent" value="nominate" />
            <label htmlFor="toSlug">Đợt cấp trên</label>
            <select id="toSlug" name="toSlug">
              {targets.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.title}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>Sản phẩm được công nhận (danh sách tổng hợp gửi kèm)</legend>
              {recognised.map((e) => (
                <label key={e.entryId} style={{ display: "block" }}>
                  <input type="checkbox" name="entryIds" value={e.entryId} /> {e.productName} — {e.facilityName} — nhóm {e.groupNo} — {e.meanScore ?? "—"} điểm — GCN{" "}
                  {e.certificateSerial ?? "chưa cấp"}
                </label>
              ))}
              {err("entryIds") ? <p className="field-error">{err("entryIds")}</p> : null}
            </fieldset>
            {(
              [
                ["letterNo", "Số công văn", "text"],
                ["letterDate", "Ngày công văn", "date"],
                ["signer", "Người ký (chức vụ, họ tên)", "text"],
              ] as const
            ).map(([name, label, type]) => (
              <div key={name}>
                <label htmlFor={name}>{label}</label>
                <input id={name} name={name} type={type} />
                {err(name) ? <p className="field-error">{err(name)}</p> : null}
              </div>
            ))}
            <div>
              <label htmlFor="pdf">Bản chụp công văn (PDF)</label>
              <input id="pdf" name="pdf" type="file" accept="application/pdf" />
              {err("pdf") ? <p className="field-error">{err("pdf")}</p> : null}
            </div>
            <div className="actions">
              <button type="submit" className="btn">
                Gửi đề nghị
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section className="card stack">
        <h2>Ngày nghỉ lễ năm {round.year}</h2>
        <ul>
          {holidays.map((h) => (
            <li key={h.day}>
              {h.day}: {h.name}
            </li>
          ))}
        </ul>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="holiday" />
          <label htmlFor="day">Ngày</label>
          <input id="day" name="day" type="date" />
          <label htmlFor="name">Tên</label>
          <input id="name" name="name" />
          <label>
            <input type="checkbox" name="remove" value="1" /> Xóa ngày này
          </label>
          <button type="submit" className="btn">
            Lưu ngày nghỉ
          </button>
        </Form>
      </section>
    </>
  );
}
