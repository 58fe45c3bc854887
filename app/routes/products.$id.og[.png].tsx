import type { LoaderFunctionArgs } from "@remix-run/node";

import { getPublicProduct } from "~/models/public/catalogue.server";
import { conditionalGet } from "~/utils/cache.server";
import { ogCard } from "~/utils/og-card.server";

/** GET /products/:id/og.png: the Open Graph card of a product without photos. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = /^(\d{1,9})/.exec(params.id ?? "")?.[1];
  const product = id ? await getPublicProduct(Number(id)) : null;
  if (!product) throw new Response("Không tìm thấy sản phẩm.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const cache = await conditionalGet(request, "product-og");
  const top = product.recognitions[product.recognitions.length - 1];
  const png = await ogCard({
    kicker: `Sản phẩm CNNT tiêu biểu ${top.levelName.toLowerCase()} năm ${top.year}`,
    title: product.name,
    lines: [product.facility.name, product.facility.provinceName],
  });
  cache.headers.set("Content-Type", "image/png");
  return new Response(new Uint8Array(png), { headers: cache.headers });
}
