/**
 * Filtering, sorting and paging of a round's winners on the public round page (pure: the list
 * comes from listWinners in catalogue.server.ts).
 */
import { compareVi } from "../../utils/vi-text";
import type { Winner } from "./catalogue.server";

export type WinnerSort = "rank" | "name" | "province";

export interface WinnerQuery {
  group?: string | null;
  province?: string | null;
  sort?: string | null;
  page?: string | null;
}

export const WINNERS_PAGE_SIZE = 100;

/**
 * Filters, sorts and pages a round's winners. Unknown filter values are ignored and reported in
 * `notes`; page numbers are clamped into range.
 */
export function browseWinners(all: Winner[], query: WinnerQuery, pageSize = WINNERS_PAGE_SIZE) {
  const notes: string[] = [];
  const groups = [...new Map(all.map((w) => [w.groupNo, { no: w.groupNo, name: w.groupName }])).values()].sort((a, b) => a.no - b.no);
  const provinceOptions = [...new Map(all.map((w) => [w.provinceCode, { code: w.provinceCode, name: w.provinceName }])).values()].sort((a, b) =>
    compareVi(a.name, b.name),
  );
  let list = all;
  let group: number | null = null;
  if (query.group) {
    const n = Number(query.group);
    if (groups.some((g) => g.no === n)) {
      group = n;
      list = list.filter((w) => w.groupNo === n);
    } else notes.push(`Bỏ qua bộ lọc nhóm sản phẩm không hợp lệ "${query.group.slice(0, 40)}".`);
  }
  let province: string | null = null;
  if (query.province) {
    const code = query.province;
    if (all.some((w) => w.provinceCode === code || w.currentProvinceCode === code)) {
      province = code;
      list = list.filter((w) => w.provinceCode === code || w.currentProvinceCode === code);
    } else notes.push(`Bỏ qua bộ lọc tỉnh không có trong danh sách "${code.slice(0, 40)}".`);
  }
  let sort: WinnerSort = "rank";
  if (query.sort === "name" || query.sort === "province") sort = query.sort;
  else if (query.sort && query.sort !== "rank") notes.push("Cách sắp xếp không hợp lệ; danh sách được xếp theo thứ hạng.");
  if (sort === "name") list = [...list].sort((a, b) => a.productName.localeCompare(b.productName, "vi"));
  if (sort === "province") list = [...list].sort((a, b) => a.provinceName.localeCompare(b.provinceName, "vi") || (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const pages = Math.max(1, Math.ceil(list.length / pageSize));
  let page = 1;
  if (query.page) {
    const n = Number(query.page);
    if (Number.isInteger(n) && n >= 1) page = Math.min(n, pages);
    else notes.push("Số trang không hợp lệ; đang hiển thị trang 1.");
    if (Number.isInteger(n) && n > pages) notes.push(`Chỉ có ${pages} trang; đang hiển thị trang cuối.`);
  }
  return {
    total: all.length,
    matched: list.length,
    items: list.slice((page - 1) * pageSize, page * pageSize),
    page,
    pages,
    filters: { group, province, sort },
    options: { groups, provinces: provinceOptions },
    notes,
  };
}
