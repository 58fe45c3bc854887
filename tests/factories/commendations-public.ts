/**
 * An issued (or draft) commendation decision with recipients and certificates of merit, inserted
 * directly — the ministry's model owns the real workflow.
 */
import { eq } from "drizzle-orm";

import { nextSerialNumber } from "../../app/models/certificate/certificate.server";
import { formatSerial, meritSerialPrefix, newVerificationCode } from "../../app/models/certificate/rules";
import { type Database, db } from "../../app/utils/db.server";
import { certificates, commendationDecisions, commendationRecipients, provinces } from "../../db/schema";

export async function createCommendationDecision(
  options: {
    number?: string;
    status?: "issued" | "draft";
    recipients?: { kind: "collective" | "individual"; name: string; position?: string; organization?: string; province?: string }[];
  } = {},
  tx: Database = db(),
) {
  const status = options.status ?? "issued";
  const [d] = await tx
    .insert(commendationDecisions)
    .values({
      number: options.number ?? "1234/QĐ-BCT",
      signedOn: "2016-10-06",
      signerName: "Trần Tuấn Anh",
      signerTitle: "Bộ trưởng Bộ Công Thương",
      authority: "Bộ Công Thương",
      periodFrom: 2013,
      periodTo: 2015,
      reason: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015",
      status,
      issuedAt: status === "issued" ? new Date("2016-10-06T09:00:00+07:00") : null,
    })
    .returning();
  const out: { recipientId: number; name: string; serial: string; code: string; certificateId: number }[] = [];
  for (const [i, r] of (options.recipients ?? []).entries()) {
    const [p] = r.province ? await tx.select().from(provinces).where(eq(provinces.name, r.province)) : [undefined];
    const [rec] = await tx
      .insert(commendationRecipients)
      .values({
        decisionId: d.id,
        kind: r.kind,
        name: r.name,
        position: r.position ?? null,
        organization: r.organization ?? null,
        provinceCode: p?.code ?? null,
        achievement: "Hoàn thành xuất sắc nhiệm vụ khuyến công",
        ordinal: i + 1,
      })
      .returning();
    if (status !== "issued") continue;
    const serial = formatSerial(meritSerialPrefix(2016), await nextSerialNumber(meritSerialPrefix(2016), tx));
    const code = newVerificationCode();
    const [cert] = await tx
      .insert(certificates)
      .values({
        kind: "merit",
        serial,
        code,
        recipientId: rec.id,
        subject: { name: r.name, position: r.position ?? null, organization: r.organization ?? null, achievement: "Hoàn thành xuất sắc nhiệm vụ khuyến công" },
        subjectName: r.name,
        issuer: "Bộ trưởng Bộ Công Thương",
        decisionNo: d.number,
        decisionDate: d.signedOn,
        issuedAt: new Date("2016-10-06T09:00:00+07:00"),
        validUntil: null,
      })
      .returning();
    out.push({ recipientId: rec.id, name: r.name, serial, code, certificateId: cert.id });
  }
  return { decisionId: d.id, number: d.number, recipients: out };
}
