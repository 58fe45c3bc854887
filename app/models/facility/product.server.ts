/**
 * The product catalogue of a facility. A product keeps its dossier and media from round to round
 * (district → province → region → national): nothing is re-uploaded for the next level.
 */
import { and, asc, desc, eq, isNull } from "drizzle-orm";

import { media, products } from "../../../db/schema";
import { DossierDraftSchema, type Dossier } from "../../schemas/dossier";
import { ProductEnglishSchema, ProductSchema } from "../../schemas/facility";
import { type Database, db, isDbId } from "../../utils/db.server";
import { AppError, isAppError, notFound } from "../../utils/errors";
import { fieldErrors, parseOrThrow } from "../../utils/forms";
import { recordAudit } from "../shared/audit.server";
import { requireFacilityMember } from "./facility.server";

function parseProduct(input: { name: unknown; groupNo: unknown; description: unknown }) {
  return parseOrThrow(ProductSchema, input);
}

/** Both forms' errors at once: the Vietnamese fields and the optional English ones. */
function parseProductWithEnglish(input: { name: unknown; groupNo: unknown; description: unknown; nameEn?: unknown; descriptionEn?: unknown }) {
  const parsed = ProductSchema.safeParse(input);
  const english = ProductEnglishSchema.safeParse({ nameEn: input.nameEn ?? undefined, descriptionEn: input.descriptionEn ?? undefined });
  if (!parsed.success || !english.success) {
    const fields = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(english.success ? {} : fieldErrors(english.error)) };
    throw new AppError(400, "Vui lòng sửa các lỗi bên dưới.", fields);
  }
  return { data: parsed.data, english: english.data };
}

export function parseDossierDraft(dossier: unknown): Dossier {
  return parseOrThrow(DossierDraftSchema, dossier ?? {}) as Dossier;
}

/**
 * Adds a product to a facility's catalogue.
 * @throws AppError 404 outside the user's facilities, 400 (fields) for invalid data.
 */
export async function createProduct(
  input: { actorId: string; facilityId: number; name: unknown; groupNo: unknown; description: unknown; dossier?: unknown },
  tx: Database = db(),
): Promise<{ id: number }> {
  const data = parseProduct(input);
  const dossier = parseDossierDraft(input.dossier);
  return tx.transaction(async (t) => {
    await requireFacilityMember({ userId: input.actorId, facilityId: input.facilityId }, t);
    const [row] = await t
      .insert(products)
      .values({ facilityId: input.facilityId, ...data, dossier })
      .returning({ id: products.id });
    await recordAudit({ actorId: input.actorId, action: "product.create", entity: "product", entityId: row.id, after: data }, t);
    return { id: row.id };
  });
}

/**
 * The product as seen by a member of its facility.
 * @throws AppError 404 when the product is not in one of the user's facilities.
 */
export async function requireProductMember(input: { userId: string; productId: number }, tx: Database = db()) {
  if (!isDbId(input.productId)) throw notFound("Không tìm thấy sản phẩm.");
  const [product] = await tx.select().from(products).where(eq(products.id, input.productId));
  if (!product) throw notFound("Không tìm thấy sản phẩm.");
  try {
    const facility = await requireFacilityMember({ userId: input.userId, facilityId: product.facilityId }, tx);
    return { product, facility };
  } catch (error) {
    if (isAppError(error)) throw notFound("Không tìm thấy sản phẩm.");
    throw error;
  }
}

/**
 * Edits name, group, description and (when given) the dossier fields. Submitted entries keep their
 * snapshot: jurors keep scoring what was submitted.
 * @throws AppError 404 outside the user's facilities, 400 (fields) for invalid data.
 */
export async function updateProduct(
  input: {
    actorId: string;
    productId: number;
    name: unknown;
    groupNo: unknown;
    description: unknown;
    dossier?: unknown;
    /** The optional English texts (issue 19); left as they are when neither is given. */
    nameEn?: unknown;
    descriptionEn?: unknown;
  },
  tx: Database = db(),
) {
  const { data, english } = parseProductWithEnglish(input);
  const withEnglish = input.nameEn !== undefined || input.descriptionEn !== undefined;
  const dossier = input.dossier === undefined ? undefined : parseDossierDraft(input.dossier);
  await tx.transaction(async (t) => {
    const { product } = await requireProductMember({ userId: input.actorId, productId: input.productId }, t);
    const englishChanged = withEnglish && (english.nameEn !== product.nameEn || english.descriptionEn !== product.descriptionEn);
    await t
      .update(products)
      .set({
        ...data,
        ...(dossier ? { dossier } : {}),
        // Only a change is written: the English texts feed the public state (every public page's ETag).
        ...(englishChanged ? { ...english, englishUpdatedAt: new Date() } : {}),
        updatedAt: new Date(),
      })
      .where(eq(products.id, product.id));
    await recordAudit(
      {
        actorId: input.actorId,
        action: "product.update",
        entity: "product",
        entityId: product.id,
        before: { name: product.name, groupNo: product.groupNo, description: product.description, ...(withEnglish ? { nameEn: product.nameEn, descriptionEn: product.descriptionEn } : {}) },
        after: { ...data, ...(withEnglish ? english : {}) },
      },
      t,
    );
  });
}

/** Saves only the dossier fields of a product (from the entry form). */
export async function saveProductDossier(input: { actorId: string; productId: number; dossier: unknown }, tx: Database = db()) {
  const dossier = parseDossierDraft(input.dossier);
  await tx.transaction(async (t) => {
    const { product } = await requireProductMember({ userId: input.actorId, productId: input.productId }, t);
    await t.update(products).set({ dossier, updatedAt: new Date() }).where(eq(products.id, product.id));
  });
  return dossier;
}

export async function listProducts(input: { userId: string; facilityId: number }, tx: Database = db()) {
  await requireFacilityMember({ userId: input.userId, facilityId: input.facilityId }, tx);
  return tx.select().from(products).where(eq(products.facilityId, input.facilityId)).orderBy(desc(products.updatedAt));
}

/** Live (not deleted) media of a product, photos first in upload order. */
export async function listProductMedia(input: { productId: number }, tx: Database = db()) {
  return tx
    .select()
    .from(media)
    .where(and(eq(media.productId, input.productId), isNull(media.deletedAt)))
    .orderBy(asc(media.kind), asc(media.createdAt), asc(media.id));
}
