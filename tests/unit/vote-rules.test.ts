/** The people's-choice vote's pure rules (issue 19): phases, visibility, limits, network prefixes, bursts. */
import { describe, expect, it } from "vitest";

import {
  awardWinners,
  ballotProblem,
  detectBursts,
  favouriteCertificateProblem,
  networkPrefix,
  pollPhase,
  totalsVisible,
  type VoteSample,
} from "../../app/models/vote/rules";

const at = (iso: string) => new Date(iso);
const poll = { opensAt: at("2026-12-01T01:00:00Z"), closesAt: at("2026-12-10T10:00:00Z"), frozenAt: null, showLive: false };

describe("phases and visibility", () => {
  it("moves upcoming → open → closed, frozen wins; hidden totals appear at the close", () => {
    expect(pollPhase(poll, at("2026-11-30T00:00:00Z"))).toBe("upcoming");
    expect(pollPhase(poll, at("2026-12-05T00:00:00Z"))).toBe("open");
    expect(pollPhase(poll, at("2026-12-10T10:00:00Z"))).toBe("closed");
    expect(pollPhase({ ...poll, frozenAt: at("2026-12-11T00:00:00Z") }, at("2026-12-05T00:00:00Z"))).toBe("frozen");
    expect(totalsVisible(poll, at("2026-12-05T00:00:00Z"))).toBe(false);
    expect(totalsVisible({ ...poll, showLive: true }, at("2026-12-05T00:00:00Z"))).toBe(true);
    expect(totalsVisible(poll, at("2026-12-11T00:00:00Z"))).toBe(true);
  });
});

describe("ballot limits", () => {
  const limits = { maxTotal: 5, maxPerEntry: 1, maxPerDay: null };
  it("one vote per product, five in all, a per-day limit on the Vietnam day", () => {
    expect(ballotProblem({ limits, existing: [], chosen: [1, 2, 3] })).toBeNull();
    expect(ballotProblem({ limits, existing: [{ entryId: 1, castAt: at("2026-12-01T02:00:00Z") }], chosen: [1] })).toMatch(
      /một phiếu cho một sản phẩm/,
    );
    expect(
      ballotProblem({
        limits,
        existing: [1, 2, 3].map((entryId) => ({ entryId, castAt: at("2026-12-01T02:00:00Z") })),
        chosen: [4, 5, 6],
      }),
    ).toMatch(/chỉ còn 2 phiếu/);
    expect(ballotProblem({ limits, existing: [], chosen: [] })).toMatch(/ít nhất một/);
    expect(ballotProblem({ limits, existing: [], chosen: [2, 2] })).toMatch(/một lần/);
    const daily = { ...limits, maxPerDay: 2 };
    // 23:30 on 1 Dec in Vietnam is 16:30 UTC; 00:30 on 2 Dec in Vietnam is 17:30 UTC on 1 Dec.
    const yesterday = [
      { entryId: 1, castAt: at("2026-12-01T16:30:00Z") },
      { entryId: 2, castAt: at("2026-12-01T16:40:00Z") },
    ];
    expect(ballotProblem({ limits: daily, existing: yesterday, chosen: [3], now: at("2026-12-01T16:50:00Z") })).toMatch(
      /Mỗi ngày/,
    );
    expect(ballotProblem({ limits: daily, existing: yesterday, chosen: [3], now: at("2026-12-01T17:30:00Z") })).toBeNull();
    expect(
      ballotProblem({
        limits: { ...limits, maxPerEntry: 2 },
        existing: [{ entryId: 1, castAt: at("2026-12-01T02:00:00Z") }],
        chosen: [1],
      }),
    ).toBeNull();
  });
});

describe("network prefixes", () => {
  it("/24 for IPv4 (mapped too), /48 for IPv6", () => {
    expect(networkPrefix("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkPrefix("::ffff:203.0.113.5")).toBe("203.0.113.0/24");
    expect(networkPrefix("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(networkPrefix("2001:db8:abcd:ffff:1:2:3:4")).toBe(networkPrefix("2001:0db8:abcd::9"));
    expect(networkPrefix("::1")).toBe("0:0:0::/48");
    expect(networkPrefix("999.1.1.1")).toBe("999.1.1.1");
  });
});

describe("bursts", () => {
  const base = Date.parse("2026-12-05T03:00:00Z");
  const sample = (id: number, over: Partial<VoteSample> = {}): VoteSample => ({
    id,
    entryId: 1,
    prefixHash: "net-a",
    castAt: new Date(base + id * 30_000),
    voterVerifiedAt: new Date(base - 86_400_000),
    ...over,
  });
  it("flags eight votes for one product from one network within ten minutes, not seven, not spread out", () => {
    expect(detectBursts(Array.from({ length: 8 }, (_, i) => sample(i)))).toEqual([
      expect.objectContaining({ kind: "prefix", entryId: 1, voteIds: [0, 1, 2, 3, 4, 5, 6, 7] }),
    ]);
    expect(detectBursts(Array.from({ length: 7 }, (_, i) => sample(i)))).toEqual([]);
    expect(detectBursts(Array.from({ length: 12 }, (_, i) => sample(i, { castAt: new Date(base + i * 5 * 60_000) })))).toEqual(
      [],
    );
    expect(detectBursts(Array.from({ length: 8 }, (_, i) => sample(i, { prefixHash: `net-${i}` })))).toEqual([]);
  });
  it("flags addresses proven minutes before voting for one product, from many networks", () => {
    const fresh = Array.from({ length: 9 }, (_, i) =>
      sample(i, { prefixHash: `net-${i}`, voterVerifiedAt: new Date(base + i * 30_000 - 60_000) }),
    );
    expect(detectBursts(fresh)).toEqual([
      expect.objectContaining({ kind: "fresh", prefixHash: null, voteIds: [0, 1, 2, 3, 4, 5, 6, 7, 8] }),
    ]);
  });
  it("the award goes to the most votes, shared on a tie, to nobody without votes", () => {
    const t = (entryCode: string, votes: number) => ({ entryId: 0, entryCode, productName: entryCode, votes });
    expect(awardWinners([t("A", 3), t("B", 5), t("C", 5)]).map((x) => x.entryCode)).toEqual(["B", "C"]);
    expect(awardWinners([t("A", 0)])).toEqual([]);
  });
  it("the award's certificate: only after freezing, only to a winner (each tied one), only with a signer", () => {
    const winners = [{ entryId: 1 }, { entryId: 2 }];
    const ok = { frozen: true, winners, entryId: 2, signerName: "Lê Quang Minh" };
    expect(favouriteCertificateProblem(ok)).toBeNull();
    expect(favouriteCertificateProblem({ ...ok, entryId: 1 })).toBeNull();
    expect(favouriteCertificateProblem({ ...ok, frozen: false })).toMatch(/sau khi kết quả bình chọn đã được chốt/);
    expect(favouriteCertificateProblem({ ...ok, entryId: 3 })).toMatch(/nhiều phiếu được tính nhất/);
    expect(favouriteCertificateProblem({ ...ok, winners: [] })).toMatch(/nhiều phiếu được tính nhất/);
    expect(favouriteCertificateProblem({ ...ok, signerName: null })).toMatch(/chưa ghi nhận người ký/);
  });
});
