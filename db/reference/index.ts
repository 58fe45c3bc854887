/**
 * Reference data from cnnt-domain.json (a copy of shared/domain): regions, the 63 provinces of
 * 2016, the 34 units since 1 July 2025 and the mapping, product groups, programme indicators.
 * Idempotent: run after every migration.
 */
import { sql } from "drizzle-orm";

import type { Database } from "../../app/utils/db.server";
import { slugVi } from "../../app/utils/vi-text";
import { productGroups, programmeIndicators, provinces, provinces2025, regions } from "../schema";
import domain from "./cnnt-domain.json";
import units2025 from "./provinces-2025.json";

export const REGION_SLUGS: Record<string, string> = { BAC: "bac", TRUNG_TN: "trung-tay-nguyen", NAM: "nam" };
const REGION_NAMES: Record<string, string> = {
  BAC: "Khu vực phía Bắc",
  TRUNG_TN: "Khu vực miền Trung – Tây Nguyên",
  NAM: "Khu vực phía Nam",
};

/** "TP. Hồ Chí Minh" → "ho-chi-minh", "Bà Rịa - Vũng Tàu" → "ba-ria-vung-tau". */
export function provinceCode(name: string): string {
  return slugVi(name.replace(/^(TP\.|Thành phố)\s*/i, ""));
}

/** 2016 names whose unit kept going under another name. */
const RENAMED: Record<string, string> = { "Thừa Thiên Huế": "Huế" };

export interface ProvinceData {
  regions: { code: string; slug: string; name: string; position: number }[];
  provinces2025: { code: string; name: string; regionCode: string; isCity: boolean }[];
  provinces: { code: string; name: string; regionCode: string; currentCode: string; position: number }[];
}

export function buildProvinceData(): ProvinceData {
  const regionList = domain.regions_2016.regions;

  // new unit name → the 2016 names it took in
  const successor = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const m of domain.provinces_2025.merged) {
    members.set(m.new, m.from);
    for (const old of m.from) successor.set(old, m.new);
  }
  for (const name of domain.provinces_2025.unchanged) {
    const old = Object.entries(RENAMED).find(([, now]) => now === name)?.[0] ?? name;
    members.set(name, [old]);
    successor.set(old, name);
  }

  // Region and city status of each unit are reference data (provinces-2025.json), loaded for new
  // units only: an admin's edit (/admin/provinces) is never overwritten by a later start.
  const listed = new Map(units2025.units.map((u) => [u.code, u]));
  const current = [...members.keys()].map((name) => {
    const unit = listed.get(provinceCode(name));
    if (!unit) throw new Error(`Đơn vị ${name} (từ 01/7/2025) thiếu trong db/reference/provinces-2025.json`);
    return { code: unit.code, name, regionCode: unit.regionCode, isCity: unit.isCity };
  });

  let position = 0;
  const old = regionList.flatMap((r) =>
    r.provinces.map((name) => {
      const now = successor.get(name);
      if (!now) throw new Error(`Tỉnh ${name} (2016) không có đơn vị kế thừa sau 01/7/2025`);
      return { code: provinceCode(name), name, regionCode: r.code, currentCode: provinceCode(now), position: ++position };
    }),
  );

  return {
    regions: regionList.map((r, i) => ({
      code: r.code,
      slug: REGION_SLUGS[r.code],
      name: REGION_NAMES[r.code] ?? r.vi,
      position: i + 1,
    })),
    provinces2025: current,
    provinces: old,
  };
}

export const PROGRAMME_INDICATORS = [
  { code: "DAO_TAO_NGHE", name: "Đào tạo nghề, truyền nghề, nâng cao tay nghề", unit: "lao động", aggregation: "sum" },
  { code: "NANG_CAO_QL", name: "Đào tạo nâng cao năng lực quản lý, khởi sự doanh nghiệp", unit: "người", aggregation: "sum" },
  { code: "MO_HINH_TD", name: "Mô hình trình diễn kỹ thuật", unit: "mô hình", aggregation: "sum" },
  {
    code: "UNG_DUNG_MMTB",
    name: "Cơ sở được hỗ trợ chuyển giao công nghệ, ứng dụng máy móc thiết bị tiên tiến",
    unit: "cơ sở",
    aggregation: "sum",
  },
  { code: "HOI_CHO", name: "Lượt cơ sở tham gia hội chợ, triển lãm", unit: "lượt cơ sở", aggregation: "sum" },
  { code: "TU_VAN_DU_AN", name: "Dự án phát triển công nghiệp được tư vấn", unit: "dự án", aggregation: "sum" },
  { code: "DOANH_THU_TU_VAN", name: "Doanh thu từ các dự án được tư vấn", unit: "triệu đồng", aggregation: "sum" },
  { code: "DE_AN", name: "Số đề án khuyến công", unit: "đề án", aggregation: "sum" },
  { code: "SP_CNNT_TB", name: "Sản phẩm được công nhận CNNT tiêu biểu", unit: "sản phẩm", aggregation: "sum" },
  { code: "NHAN_HIEU", name: "Cơ sở được hỗ trợ đăng ký nhãn hiệu", unit: "cơ sở", aggregation: "sum" },
  { code: "WEBSITE_TMDT", name: "Cơ sở được hỗ trợ website, thương mại điện tử", unit: "cơ sở", aggregation: "sum" },
  { code: "CUM_CN", name: "Cụm công nghiệp được hỗ trợ", unit: "cụm", aggregation: "sum" },
  { code: "SXSH", name: "Cơ sở áp dụng sản xuất sạch hơn, tiết kiệm năng lượng", unit: "cơ sở", aggregation: "sum" },
  { code: "KINH_PHI", name: "Kinh phí khuyến công", unit: "triệu đồng", aggregation: "sum" },
] as const;

export async function seedReference(database: Database) {
  const data = buildProvinceData();
  await database.transaction(async (tx) => {
    for (const r of data.regions) {
      await tx.insert(regions).values(r).onConflictDoUpdate({ target: regions.code, set: { slug: r.slug, name: r.name, position: r.position } });
    }
    for (const p of data.provinces2025) {
      await tx
        .insert(provinces2025)
        .values(p)
        .onConflictDoUpdate({ target: provinces2025.code, set: { name: p.name } });
    }
    for (const p of data.provinces) {
      await tx
        .insert(provinces)
        .values(p)
        .onConflictDoUpdate({
          target: provinces.code,
          set: { name: p.name, regionCode: p.regionCode, currentCode: p.currentCode, position: p.position },
        });
    }
    for (const g of domain.product_groups) {
      await tx
        .insert(productGroups)
        .values({ no: g.no, code: g.code, name: g.vi })
        .onConflictDoUpdate({ target: productGroups.no, set: { code: g.code, name: g.vi } });
    }
    let position = 0;
    for (const i of PROGRAMME_INDICATORS) {
      await tx
        .insert(programmeIndicators)
        .values({ ...i, position: ++position })
        .onConflictDoNothing();
    }
    await tx.execute(sql`select 1`);
  });
}
