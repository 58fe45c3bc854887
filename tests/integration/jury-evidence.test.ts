import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { variantUrl } from "../../app/components/DossierEvidence";
import { saveCouncilMember } from "../../app/models/council/council.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import * as fileRoute from "../../app/routes/files.$mediaId.$file";
import * as juryRoute from "../../app/routes/jury.entries.$entryId";
import { db } from "../../app/utils/db.server";
import { fallbackVariant } from "../../app/utils/media-urls";
import { entries } from "../../db/schema";
import { addCompleteMedia, createTestFacility, createTestProduct } from "../factories/facility";
import { call, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createTestRound, setRoundStatus } from "../factories/round";

/** A real submitted, screened and assigned entry: what a juror opens from the jury page. */
async function assignedEntry() {
  const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
  const round = await createTestRound({ level: "province", provinceCode: "ninh-binh", regionCode: null });
  const owner = await createTestUser();
  const { id: facilityId } = await createTestFacility(owner.id);
  const { id: productId } = await createTestProduct(owner.id, facilityId);
  await addCompleteMedia(owner.id, facilityId, productId);
  const { id } = await saveEntryDraft({
    actorId: owner.id,
    roundId: round.id,
    productId,
    lowerCertificate: { serial: "NB-H-2015-07", issuer: "UBND huyện Hoa Lư", year: "2015", decisionNo: "7/QĐ-UBND" },
  });
  const { storeDocument } = await import("../../app/models/entry/media.server");
  const { fixture } = await import("../factories/facility");
  await storeDocument({ actorId: owner.id, facilityId, productId, bytes: fixture("registration.pdf"), fileName: "gcn-cap-huyen.pdf", docType: "earlier_certificate" });
  await submitEntry({ actorId: owner.id, entryId: id });
  await setRoundStatus(round.id, "screening");
  await screenEntry({ actorId: organizer.id, entryId: id, decision: "eligible" });
  const juror = await createTestUser({ roles: ["juror"], fullName: "Giám khảo Một" });
  await saveCouncilMember({ roundId: round.id, actorId: organizer.id, email: juror.email, role: "chair", groupNos: [] });
  await autoAssign({ roundId: round.id, actorId: organizer.id });
  await setRoundStatus(round.id, "scoring");
  const [entry] = await db().select().from(entries).where(eq(entries.id, id));
  return { juror, entry };
}

const fetchFile = (user: { cookie: string } | null, url: string) => {
  const [, , mediaId, file] = url.split("/");
  return call(fileRoute.loader, requestAs(user, url), { mediaId, file });
};

describe("the jury page carries the evidence", () => {
  it("lists the documents, photos with a large variant and the lower certificate, and the assigned juror can open them", async () => {
    const { juror, entry } = await assignedEntry();
    const res = await call(juryRoute.loader, requestAs(juror, `/jury/entries/${entry.id}`), { entryId: String(entry.id) });
    expect(res.status).toBe(200);
    const data = await jsonOf(res);
    const snap = data.entry.snapshot;
    expect(snap.documents.map((d: { originalName: string }) => d.originalName).sort()).toEqual(["dang-ky-kinh-doanh.pdf", "gcn-cap-huyen.pdf"]);
    expect(snap.photos).toHaveLength(3);
    expect(snap.lowerCertificate).toMatchObject({ serial: "NB-H-2015-07", issuer: "UBND huyện Hoa Lư" });

    for (const d of snap.documents) {
      const file = await fetchFile(juror, `/files/${d.id}/document`);
      expect(file.status).toBe(200);
      expect(file.headers.get("Content-Type")).toBe("application/pdf");
      expect(file.headers.get("Content-Disposition")).toMatch(/^inline/);
    }
    for (const p of snap.photos) {
      const large = fallbackVariant(p.variants, 1280)!;
      expect(large.key).toBe("1280.jpg");
      const file = await fetchFile(juror, variantUrl(p.id, large));
      expect(file.status).toBe(200);
      expect(file.headers.get("Content-Type")).toBe("image/jpeg");
    }
    // A juror of another round does not get the files.
    const stranger = await createTestUser({ roles: ["juror"] });
    expect((await fetchFile(stranger, `/files/${snap.documents[0].id}/document`)).status).toBe(404);
  });
});
