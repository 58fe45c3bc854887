import { Form } from "@remix-run/react";

import { DEFAULT_PASS_MARKS, LEVEL_NAMES } from "~/models/round/rules";

import { Field } from "./FormField";

/** "2026-12-31T17:00" in Vietnam time, for <input type="datetime-local">. */
export function vnLocalInput(value: string | Date | null | undefined): string {
  if (!value) return "";
  const d = new Date(new Date(value).getTime() + 7 * 3600_000);
  return d.toISOString().slice(0, 16);
}

/** "cấp tỉnh 70, cấp khu vực 70 (chưa xác nhận), …" from the round rules' defaults. */
function passMarkDefaults() {
  return Object.entries(DEFAULT_PASS_MARKS)
    .map(([level, d]) => `${LEVEL_NAMES[level] ?? level} ${d.value}${d.confirmed ? "" : " (chưa xác nhận)"}`)
    .join("; ");
}

interface Options {
  levels: { code: string; name: string }[];
  regions: { code: string; name: string }[];
  provinces: { code: string; name: string }[];
}

type Values = Partial<Record<string, string | number | null>>;

/** Round settings; on edit the level and scope are fixed (they decide who may see the round). */
export function RoundForm(props: {
  mode: "create" | "edit";
  values: Values;
  options?: Options;
  fields?: Record<string, string>;
  canChangeRules?: boolean;
}) {
  const v = props.values;
  const f = props.fields ?? {};
  const s = (k: string) => (v[k] == null ? "" : String(v[k]));
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value={props.mode === "create" ? "create" : "update"} />
      <Field name="title" label="Tên đợt bình chọn" required defaultValue={s("title")} error={f.title} />
      {props.mode === "create" && props.options ? (
        <>
          <Field
            name="slug"
            label="Đường dẫn"
            required
            hint="Chữ thường không dấu, ví dụ 2026-khu-vuc-phia-bac"
            defaultValue={s("slug")}
            error={f.slug}
          />
          <Field name="level" label="Cấp bình chọn" error={f.level}>
            <select id="f-level" name="level" defaultValue={s("level") || "region"}>
              {props.options.levels.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field name="regionCode" label="Khu vực (cấp khu vực)" error={f.regionCode}>
            <select id="f-regionCode" name="regionCode" defaultValue={s("regionCode")}>
              <option value="">—</option>
              {props.options.regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
          <Field name="provinceCode" label="Tỉnh, thành phố (cấp xã, huyện, tỉnh)" error={f.provinceCode}>
            <select id="f-provinceCode" name="provinceCode" defaultValue={s("provinceCode")}>
              <option value="">—</option>
              {props.options.provinces.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : null}
      <Field name="year" label="Năm" required inputMode="numeric" defaultValue={s("year")} error={f.year} />
      <Field
        name="registrationOpensAt"
        label="Mở nhận hồ sơ"
        type="datetime-local"
        required
        defaultValue={s("registrationOpensAt")}
        error={f.registrationOpensAt}
      />
      <Field
        name="registrationClosesAt"
        label="Hạn nộp hồ sơ"
        type="datetime-local"
        required
        defaultValue={s("registrationClosesAt")}
        error={f.registrationClosesAt}
      />
      <Field
        name="scoringClosesAt"
        label="Hạn chấm điểm"
        type="datetime-local"
        required
        defaultValue={s("scoringClosesAt")}
        error={f.scoringClosesAt}
      />
      <Field
        name="passMark"
        label="Điểm đạt"
        inputMode="decimal"
        hint={`Trên thang 100. Để trống: mặc định của cấp (${passMarkDefaults()}).`}
        defaultValue={s("passMark")}
        error={f.passMark}
      />
      <Field
        name="quota"
        label="Chỉ tiêu (số sản phẩm tối đa được công nhận)"
        inputMode="numeric"
        hint="Để trống nếu không giới hạn."
        defaultValue={s("quota")}
        error={f.quota}
      />
      <Field
        name="jurorsPerEntry"
        label="Số giám khảo chấm mỗi hồ sơ"
        inputMode="numeric"
        hint="Để trống: mọi thành viên hội đồng của nhóm sản phẩm."
        defaultValue={s("jurorsPerEntry")}
        error={f.jurorsPerEntry}
      />
      <fieldset>
        <legend>Quy tắc chấm (chưa được quy định rõ: mặc định theo cách làm hiện nay)</legend>
        <Field name="scoreStep" label="Bước chấm điểm" error={f.scoreStep} hint="Mặc định 0,5 điểm; 1 = chỉ chấm số nguyên.">
          <select id="f-scoreStep" name="scoreStep" defaultValue={s("scoreStep") || "0.5"}>
            <option value="0.5">0,5 điểm</option>
            <option value="1">1 điểm</option>
          </select>
        </Field>
        <Field
          name="disagreementSpread"
          label="Ngưỡng giám khảo chênh lệch lớn (điểm)"
          inputMode="decimal"
          hint="Cao nhất − thấp nhất của tổng điểm một hồ sơ từ ngưỡng này trở lên thì được đánh dấu. Mặc định 20."
          defaultValue={s("disagreementSpread") || "20"}
          error={f.disagreementSpread}
        />
        <div>
          <label>
            <input type="checkbox" name="conflictSameProduct" defaultChecked={v.conflictSameProduct === 1} /> Xung đột lợi ích: giám
            khảo đã chấm chính sản phẩm này ở đợt khác (cấp dưới) không chấm lại
          </label>
          {f.conflictSameProduct ? <p className="field-error">{f.conflictSameProduct}</p> : null}
        </div>
      </fieldset>
      <Field name="authority" label="Cơ quan công nhận kết quả" required defaultValue={s("authority")} error={f.authority} />
      {props.mode === "edit" && props.canChangeRules === false ? (
        <p className="hint">Điểm đạt, chỉ tiêu và bước chấm điểm đã chốt khi bắt đầu chấm điểm.</p>
      ) : null}
      <div>
        <button className="btn" type="submit">
          {props.mode === "create" ? "Tạo đợt bình chọn" : "Lưu thông tin"}
        </button>
      </div>
    </Form>
  );
}
