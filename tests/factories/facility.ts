/**
 * Facilities, products with complete dossiers, photos and documents, through the models.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { storeDocument, storePhoto } from "../../app/models/entry/media.server";
import { createFacility } from "../../app/models/facility/facility.server";
import { createProduct } from "../../app/models/facility/product.server";
import type { Dossier } from "../../app/schemas/dossier";

export const FIXTURES = path.resolve("tests/fixtures");
export const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

export function facilityData(overrides: Record<string, unknown> = {}) {
  return {
    name: "Hợp tác xã Mây tre đan Phú Vinh",
    legalForm: "htx",
    registrationNo: `0${crypto.randomInt(100000000, 999999999)}`,
    provinceCode: "ha-noi",
    legacyProvinceCode: "ha-noi",
    district: "Chương Mỹ",
    commune: "Phú Nghĩa",
    address: "Thôn Phú Vinh",
    phone: "0243 123 456",
    representative: "Nguyễn Văn Vinh",
    representativeTitle: "Giám đốc",
    ...overrides,
  };
}

export const COMPLETE_DOSSIER: Dossier = {
  productionCapacity: "12.000 sản phẩm/năm",
  annualRevenue: "850",
  workers: "25 (18 nữ)",
  rawMaterials: "Mây, tre, giang",
  rawMaterialOrigin: "Mua của hộ dân trong huyện, 100% trong nước",
  markets: "Hà Nội, TP Hồ Chí Minh, xuất khẩu Nhật Bản",
  standards: "TCVN 7561, OCOP 4 sao",
  price: "350.000 đồng/bộ",
  story: "Nghề mây tre đan Phú Vinh có từ hơn 400 năm.",
};

export async function createTestFacility(actorId: string, overrides: Record<string, unknown> = {}) {
  return createFacility({ actorId, data: facilityData(overrides) });
}

export async function createTestProduct(
  actorId: string,
  facilityId: number,
  overrides: { name?: string; groupNo?: number; description?: string; dossier?: Partial<Dossier> } = {},
) {
  return createProduct({
    actorId,
    facilityId,
    name: overrides.name ?? "Bộ khay mây tre đan",
    groupNo: overrides.groupNo ?? 1,
    description: overrides.description ?? "Bộ khay đan thủ công từ mây tự nhiên.",
    dossier: { ...COMPLETE_DOSSIER, ...overrides.dossier },
  });
}

/** Three photos (fixtures) and the business registration PDF: a dossier ready to submit. */
export async function addCompleteMedia(actorId: string, facilityId: number, productId: number) {
  const photos = [];
  for (const name of ["camera-portrait.jpg", "camera-landscape.jpg", "phone.png"]) {
    photos.push(await storePhoto({ actorId, facilityId, productId, bytes: fixture(name), fileName: name }));
  }
  const doc = await storeDocument({ actorId, facilityId, productId, bytes: fixture("registration.pdf"), fileName: "dang-ky-kinh-doanh.pdf", docType: "business_registration" });
  return { photos, doc };
}
