/**
 * Demo: a decision of the Minister of Industry and Trade (Trần Tuấn Anh, Minister in 2016) awarding
 * the Bằng khen for khuyến công work in 2013–2015 to collectives and individuals of the northern
 * provinces, presented at the 11th Northern khuyến công conference (Ninh Bình, October 2016).
 * The decision number and every recipient's name are ILLUSTRATIVE (the real list is not in our
 * sources), built through the same model functions the ministry pages use. The decision is issued,
 * so each recipient has a certificate record (serial, code); PDFs are rendered lazily on the first
 * download, which keeps the first start fast.
 */
import { inArray } from "drizzle-orm";

import { findUserByEmail } from "../../app/models/account/user.server";
import { addRecipients, createDecision, issueDecision } from "../../app/models/commendation/commendation.server";
import { DecisionSchema, type RecipientInput } from "../../app/schemas/commendation";
import { db } from "../../app/utils/db.server";
import { commendationDecisions, provinces } from "../../db/schema";
import type { DemoStep } from "./demo";

export const COMMENDATION_DEMO_NUMBER = "4286/QĐ-BCT";

const ACHIEVEMENT = "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015";

/** [kind, name, position, organisation, 2016 province] — illustrative. */
const RECIPIENTS: ["collective" | "individual", string, string, string, string][] = [
  ["collective", "Sở Công Thương tỉnh Ninh Bình", "", "", "Ninh Bình"],
  ["collective", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Ninh Bình", "", "Sở Công Thương tỉnh Ninh Bình", "Ninh Bình"],
  ["collective", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Ninh", "", "Sở Công Thương tỉnh Bắc Ninh", "Bắc Ninh"],
  ["collective", "Trung tâm Khuyến công tỉnh Thái Bình", "", "Sở Công Thương tỉnh Thái Bình", "Thái Bình"],
  ["collective", "Sở Công Thương tỉnh Hà Tĩnh", "", "", "Hà Tĩnh"],
  ["collective", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nam", "", "Sở Công Thương tỉnh Hà Nam", "Hà Nam"],
  ["collective", "Trung tâm Khuyến công thành phố Hà Nội", "", "Sở Công Thương Hà Nội", "Hà Nội"],
  ["collective", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Thái Nguyên", "", "Sở Công Thương tỉnh Thái Nguyên", "Thái Nguyên"],
  ["collective", "Sở Công Thương tỉnh Lào Cai", "", "", "Lào Cai"],
  ["collective", "Trung tâm Khuyến công tỉnh Nghệ An", "", "Sở Công Thương tỉnh Nghệ An", "Nghệ An"],
  ["individual", "Nguyễn Thị Thủy", "Giám đốc", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Ninh Bình", "Ninh Bình"],
  ["individual", "Trần Văn Đức", "Phó Giám đốc", "Sở Công Thương tỉnh Nam Định", "Nam Định"],
  ["individual", "Lê Thị Hồng Hạnh", "Trưởng phòng Khuyến công", "Trung tâm Khuyến công tỉnh Thái Bình", "Thái Bình"],
  ["individual", "Phạm Quốc Hưng", "Chuyên viên", "Sở Công Thương tỉnh Hải Dương", "Hải Dương"],
  ["individual", "Đỗ Thị Ngọc Ánh", "Phó Giám đốc", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Ninh", "Bắc Ninh"],
  ["individual", "Hoàng Văn Thắng", "Giám đốc", "Trung tâm Khuyến công tỉnh Tuyên Quang", "Tuyên Quang"],
  ["individual", "Vũ Thị Lụa", "Chuyên viên", "Sở Công Thương tỉnh Hưng Yên", "Hưng Yên"],
  ["individual", "Bùi Đức Tiến", "Trưởng phòng Quản lý công nghiệp", "Sở Công Thương tỉnh Hòa Bình", "Hòa Bình"],
  ["individual", "Ngô Thị Phượng", "Phó Giám đốc", "Trung tâm Khuyến công tỉnh Phú Thọ", "Phú Thọ"],
  ["individual", "Đặng Văn Quý", "Chuyên viên", "Sở Công Thương tỉnh Thanh Hóa", "Thanh Hóa"],
  ["individual", "Nguyễn Văn Khải", "Giám đốc", "Trung tâm Khuyến công tỉnh Yên Bái", "Yên Bái"],
  ["individual", "Trịnh Thị Mến", "Kế toán trưởng", "Trung tâm Khuyến công thành phố Hà Nội", "Hà Nội"],
  ["individual", "Lương Văn Thành", "Phó Giám đốc", "Sở Công Thương tỉnh Lạng Sơn", "Lạng Sơn"],
  ["individual", "Cao Thị Huyền", "Chuyên viên", "Cục Công nghiệp địa phương, Bộ Công Thương", "Hà Nội"],
  ["individual", "Phan Minh Tuấn", "Trưởng phòng Kế hoạch", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I", "Hà Nội"],
];

export const commendationsDemo: DemoStep = {
  name: "quyết định tặng Bằng khen khuyến công 2013–2015",
  async done() {
    const rows = await db().select({ id: commendationDecisions.id }).from(commendationDecisions).where(inArray(commendationDecisions.number, [COMMENDATION_DEMO_NUMBER]));
    return rows.length > 0;
  },
  async run(log) {
    const officer = await findUserByEmail("ministry@demo.cnnt.vn");
    if (!officer) throw new Error("demo: ministry@demo.cnnt.vn is missing");
    const data = DecisionSchema.parse({
      number: COMMENDATION_DEMO_NUMBER,
      signedOn: "2016-09-30",
      signerName: "Trần Tuấn Anh",
      signerTitle: "Bộ trưởng Bộ Công Thương",
      authority: "Bộ Công Thương",
      periodFrom: 2013,
      periodTo: 2015,
      reason: `${ACHIEVEMENT}, góp phần vào sự nghiệp phát triển công nghiệp nông thôn`,
    });
    const names = [...new Set(RECIPIENTS.map((r) => r[4]))];
    const found = await db().select({ code: provinces.code, name: provinces.name }).from(provinces).where(inArray(provinces.name, names));
    const codeOf = new Map(found.map((p) => [p.name, p.code]));
    const recipients: RecipientInput[] = RECIPIENTS.map(([kind, name, position, organization, province]) => ({
      kind,
      name,
      position,
      organization,
      provinceCode: codeOf.get(province) ?? null,
      achievement: ACHIEVEMENT,
    }));
    const decision = await createDecision({ data, actorId: officer.id });
    await addRecipients({ decisionId: decision.id, recipients, actorId: officer.id });
    const { created } = await issueDecision({ id: decision.id, actorId: officer.id });
    log(`Quyết định ${decision.number}: ${created.length} Bằng khen (${created[0]?.serial} … ${created.at(-1)?.serial})`);
  },
};
