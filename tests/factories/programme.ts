/** Programme factories: officers with their scopes, and XLSX files built with exceljs. */
import ExcelJS from "exceljs";

import { createTestUser } from "./index";

export const officers = {
  /** Provincial officer of Ninh Bình (organiser scoped to the province). */
  ninhBinh: () => createTestUser({ roles: ["organizer"], organizerScope: { scopeProvince: "ninh-binh" } }),
  /** Regional organiser of the North (approves). */
  north: (email?: string) => createTestUser({ roles: ["organizer"], email, organizerScope: { scopeRegion: "BAC" } }),
  /** Regional organiser of the South. */
  south: () => createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } }),
};

export const HEADER = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Mã tỉnh", "Tỉnh/thành phố", "Kế hoạch", "Thực hiện"];

/** A workbook like the template: header, then [indicator, province, plan, actual] rows. */
export async function xlsxFile(rows: (string | number | null)[][], name = "so-lieu.xlsx"): Promise<File> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("So lieu");
  sheet.addRow(HEADER);
  for (const [indicator, province, plan, actual] of rows) sheet.addRow([indicator, "", "", province, "", plan, actual]);
  const buffer = await workbook.xlsx.writeBuffer();
  return new File([new Uint8Array(buffer as ArrayBuffer)], name, {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}

export async function readWorkbook(body: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body);
  return workbook;
}
