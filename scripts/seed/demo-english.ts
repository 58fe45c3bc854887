/**
 * Demo: the English name and description a facility may give its product (issue 19, items 5–6),
 * shown on /en/products/:id marked "Provided by the facility". A handful of recognised products —
 * some of the 2016 Northern round's and the Thái Nguyên 2026 ones — get them from their owner,
 * through the product form's own model function (`updateProduct`: validation, the public-state
 * notification, the audit event), after recognition, as a facility would add them. Runs after the
 * rounds; a database seeded before this step gets it on its next start.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";

import { updateProduct } from "../../app/models/facility/product.server";
import { db } from "../../app/utils/db.server";
import { facilityMembers, products } from "../../db/schema";
import type { DemoStep } from "./demo";

/** Vietnamese name (the demo's, unique) → the facility's English texts. */
export const DEMO_ENGLISH_TEXTS: { name: string; nameEn: string; descriptionEn: string }[] = [
  // 2016 Northern region.
  {
    name: "Bánh gai Ninh Giang",
    nameEn: "Ninh Giang ramie leaf cake",
    descriptionEn:
      "A traditional cake of Ninh Giang, Hai Duong: glutinous rice flour kneaded with boiled ramie leaves, which give it its glossy black colour, filled with mung bean paste, coconut, candied pork fat and sesame, wrapped in dried banana leaves and steamed. Eat within a few days, or keep it chilled.",
  },
  {
    name: "Chè đen OTD Phú Hộ",
    nameEn: "Phu Ho orthodox black tea (OTD)",
    descriptionEn:
      "Whole-leaf black tea from the Phu Ho hills of Phu Tho, made by the orthodox method: withered, rolled, fully oxidised and dried. It brews a bright red-amber cup with a malty taste, and takes milk well.",
  },
  {
    name: "Tranh sơn mài Hạ Thái",
    nameEn: "Ha Thai lacquer painting",
    descriptionEn:
      "A painting in natural Vietnamese lacquer from the Ha Thai craft village (Thuong Tin, Hanoi). Many coats of lacquer, with eggshell, mother-of-pearl and gold or silver leaf laid between them, are each dried and sanded back by hand until the picture comes through.",
  },
  {
    name: "Lọ hoa gốm men lam Bát Tràng",
    nameEn: "Bat Trang blue-and-white ceramic vase",
    descriptionEn:
      "A hand-thrown vase from Bat Trang, Hanoi's centuries-old pottery village, painted by hand in cobalt blue under a clear glaze and fired at over 1,200 °C.",
  },
  {
    name: "Chè búp La Bằng",
    nameEn: "La Bang green tea",
    descriptionEn:
      "Green tea from La Bang commune at the foot of the Tam Dao range, one of the best-known growing areas of Thai Nguyen tea. Young buds are picked by hand and pan-fired the same day; the tea brews a clear yellow-green cup, fragrant, with a sweet aftertaste.",
  },
  // 2026 Thái Nguyên province.
  {
    name: "Chè búp Tân Cương đặc biệt",
    nameEn: "Tan Cuong special green tea",
    descriptionEn:
      "Thai Nguyen tea from Tan Cuong, the province's most famous tea area. Only the bud and the first young leaf are picked, by hand, and pan-fired in small batches; the dark, tightly curled leaves brew a clear green-gold cup with a fresh, lasting sweetness.",
  },
  {
    name: "Miến dong Côn Minh",
    nameEn: "Con Minh canna glass noodles",
    descriptionEn:
      "Glass noodles made only from the starch of edible canna grown in Con Minh, in the hills of the former Bac Kan province (Thai Nguyen since 2025). Sun-dried, without additives; they stay firm and springy in soups, stir-fries and spring rolls.",
  },
  {
    name: "Máy sao chè tôn quay cải tiến",
    nameEn: "Improved rotary drum tea roaster",
    descriptionEn:
      "A rotating sheet-steel drum for pan-firing fresh tea leaves, the step that fixes the green colour of Thai Nguyen tea. A geared electric motor turns the drum at an even speed over a wood or gas fire, so one worker can fire a large batch evenly instead of stirring by hand.",
  },
];

export const englishTextsDemo: DemoStep = {
  name: "tên và mô tả tiếng Anh do cơ sở cung cấp",
  done: async () =>
    !!(
      await db()
        .select({ id: products.id })
        .from(products)
        .where(and(inArray(products.name, DEMO_ENGLISH_TEXTS.map((t) => t.name)), isNotNull(products.englishUpdatedAt)))
        .limit(1)
    )[0],
  async run() {
    for (const t of DEMO_ENGLISH_TEXTS) {
      const found = await db()
        .select({ product: products, ownerId: facilityMembers.userId })
        .from(products)
        .innerJoin(facilityMembers, and(eq(facilityMembers.facilityId, products.facilityId), eq(facilityMembers.role, "owner")))
        .where(eq(products.name, t.name))
        .limit(2);
      if (found.length !== 1) throw new Error(`Dữ liệu mẫu tiếng Anh: cần đúng một sản phẩm “${t.name}” có chủ cơ sở, thấy ${found.length}.`);
      const [{ product, ownerId }] = found;
      await updateProduct({
        actorId: ownerId,
        productId: product.id,
        name: product.name,
        groupNo: product.groupNo,
        description: product.description,
        nameEn: t.nameEn,
        descriptionEn: t.descriptionEn,
      });
    }
  },
};
