import { describe, expect, it } from "vitest";

import { rubricToLines } from "../../app/models/round/rubric-rules";
import { getRubric } from "../../app/models/round/rubric.server";
import * as route from "../../app/routes/organizer.rounds.$slug.rubric";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { createOrganizer, createTestRound, setRoundStatus } from "../factories/scoring";

describe("rubric", () => {
  it("guards: anonymous → login, juror → 403", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/rubric`;
    expect((await call(route.loader, requestAs(null, path), { slug: round.slug })).status).toBe(302);
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await call(route.action, requestAs(juror, path, { form: { intent: "reset" } }), { slug: round.slug })).status).toBe(
      403,
    );
  });

  it("saves edited sub-criteria; refuses a rubric whose sub-criteria do not add up (nothing written); frozen once scoring starts", async () => {
    const organizer = await createOrganizer();
    const round = await createTestRound({ actorId: organizer.id });
    const path = `/organizer/rounds/${round.slug}/rubric`;
    const lines = rubricToLines(await getRubric(round.id));
    const edited = lines.replace(
      "4 | Một số tiêu chí khác | 10",
      "4 | Một số tiêu chí khác | 10\n4.a | Sở hữu trí tuệ, nhãn hiệu | 4\n4.b | Tham gia hội chợ, xúc tiến thương mại | 6",
    );
    const ok = await call(route.action, requestAs(organizer, path, { form: { intent: "save", lines: edited } }), {
      slug: round.slug,
    });
    expect(await toastOf(ok)).toMatchObject({ message: "Đã lưu thang điểm.", location: path });
    expect((await getRubric(round.id))[3].children.map((c) => c.maxPoints)).toEqual([4, 6]);

    const before = rubricToLines(await getRubric(round.id));
    const bad = await call(
      route.action,
      requestAs(organizer, path, {
        form: {
          intent: "save",
          lines: before.replace(
            "4.b | Tham gia hội chợ, xúc tiến thương mại | 6",
            "4.b | Tham gia hội chợ, xúc tiến thương mại | 7",
          ),
        },
      }),
      { slug: round.slug },
    );
    expect(bad.status).toBe(400);
    const refused = await jsonOf(bad);
    expect(refused.formError).toContain("Tổng điểm các tiêu chí con của 4 là 11, phải bằng 10");
    expect(refused.values.lines).toContain("4.b | Tham gia hội chợ, xúc tiến thương mại | 7"); // what was typed comes back
    const group = await call(
      route.action,
      requestAs(organizer, path, {
        form: {
          intent: "save",
          lines: before.replace(
            "3 | Tiêu chí về tính văn hóa, tính thẩm mỹ | 10",
            "3 | Tiêu chí về tính văn hóa, tính thẩm mỹ | 12",
          ),
        },
      }),
      { slug: round.slug },
    );
    expect((await jsonOf(group)).formError).toContain("cố định là 10");
    expect(rubricToLines(await getRubric(round.id))).toBe(before);

    await setRoundStatus(round.id, "scoring");
    const frozen = await call(route.action, requestAs(organizer, path, { form: confirmed({ intent: "reset" }) }), { slug: round.slug });
    expect(frozen.status).toBe(409);
    expect((await jsonOf(frozen)).formError).toContain("đã được chốt");
    expect(rubricToLines(await getRubric(round.id))).toBe(before);
  });
});
