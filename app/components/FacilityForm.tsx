import { LEGAL_FORM_NAMES } from "~/schemas/facility";

import { Field } from "./FormField";

type Values = Partial<Record<string, string | null>>;

/** The facility fields (registration and edit). The 2016 province is kept where it differs. */
export function FacilityFields(props: {
  values?: Values;
  fields: Record<string, string>;
  provinces: { current: { code: string; name: string }[]; legacy: { code: string; name: string; currentCode: string }[] };
}) {
  const v = props.values ?? {};
  const f = props.fields;
  const nameOf = new Map(props.provinces.current.map((p) => [p.code, p.name]));
  return (
    <>
      <Field name="name" label="Tên cơ sở" required maxLength={200} defaultValue={v.name ?? ""} error={f.name} />
      <Field name="legalForm" label="Loại hình" required error={f.legalForm}>
        <select id="f-legalForm" name="legalForm" defaultValue={v.legalForm ?? ""} aria-invalid={f.legalForm ? true : undefined}>
          <option value="">— Chọn loại hình —</option>
          {Object.entries(LEGAL_FORM_NAMES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        name="registrationNo"
        label="Số đăng ký kinh doanh / mã số thuế"
        required
        maxLength={30}
        defaultValue={v.registrationNo ?? ""}
        error={f.registrationNo}
        hint="Mỗi số chỉ dùng cho một cơ sở trên hệ thống."
      />
      <Field name="provinceCode" label="Tỉnh/thành phố (hiện nay)" required error={f.provinceCode}>
        <select id="f-provinceCode" name="provinceCode" defaultValue={v.provinceCode ?? ""} aria-invalid={f.provinceCode ? true : undefined}>
          <option value="">— Chọn tỉnh/thành phố —</option>
          {props.provinces.current.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        name="legacyProvinceCode"
        label="Tỉnh trước ngày 01/7/2025 (nếu khác)"
        error={f.legacyProvinceCode}
        hint="Giấy chứng nhận cũ ghi tên tỉnh của thời điểm cấp."
      >
        <select id="f-legacyProvinceCode" name="legacyProvinceCode" defaultValue={v.legacyProvinceCode ?? ""}>
          <option value="">— Không chọn —</option>
          {props.provinces.legacy.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
              {nameOf.get(p.currentCode) && nameOf.get(p.currentCode) !== p.name ? ` (nay thuộc ${nameOf.get(p.currentCode)})` : ""}
            </option>
          ))}
        </select>
      </Field>
      <Field name="district" label="Quận/huyện (cũ)" maxLength={120} defaultValue={v.district ?? ""} error={f.district} />
      <Field name="commune" label="Xã/phường" maxLength={120} defaultValue={v.commune ?? ""} error={f.commune} />
      <Field name="address" label="Địa chỉ (thôn, số nhà, đường)" required maxLength={300} defaultValue={v.address ?? ""} error={f.address} />
      <Field name="phone" label="Điện thoại" type="tel" inputMode="tel" maxLength={20} defaultValue={v.phone ?? ""} error={f.phone} />
      <Field name="email" label="Email của cơ sở" type="email" maxLength={200} defaultValue={v.email ?? ""} error={f.email} />
      <Field name="representative" label="Người đại diện" required maxLength={120} defaultValue={v.representative ?? ""} error={f.representative} />
      <Field name="representativeTitle" label="Chức vụ người đại diện" maxLength={120} defaultValue={v.representativeTitle ?? ""} error={f.representativeTitle} />
    </>
  );
}
