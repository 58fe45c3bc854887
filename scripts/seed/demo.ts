/**
 * Demo data for a first start: one account per role (password `demo-2016`), then each capability's
 * demo built through the same model functions the pages use. Every step checks whether it already
 * ran, so a restart keeps the data and adds nothing twice.
 */
import { createUser, findUserByEmail, grantRole } from "../../app/models/account/user.server";
import { isDemoData, markDemoData } from "../../app/models/shared/app-flags.server";
import { setDatabase, databaseHandle, type Database } from "../../app/utils/db.server";
import type { Role } from "../../app/utils/permissions";
import { commendationsDemo } from "./demo-commendations";
import { englishTextsDemo } from "./demo-english";
import { programmeDemo } from "./demo-programme";
import { published2026Demo } from "./demo-published-2026";
import { rounds2016Demo } from "./demo-rounds";
import { favouriteCertificateDemo, publicVoteDemo } from "./demo-vote";

export const DEMO_PASSWORD = "demo-2016";

export const DEMO_ACCOUNTS: { email: string; fullName: string; title?: string; roles: Role[]; scope?: { scopeLevel?: string; scopeRegion?: string } }[] = [
  { email: "admin@demo.cnnt.vn", fullName: "Quản trị viên hệ thống", roles: ["admin"] },
  {
    email: "organizer@demo.cnnt.vn",
    fullName: "Nguyễn Văn Tổ",
    title: "Chuyên viên, Cục Công nghiệp địa phương",
    roles: ["organizer"],
    scope: { scopeRegion: "BAC" },
  },
  { email: "ministry@demo.cnnt.vn", fullName: "Trần Thị Khen", title: "Vụ Thi đua – Khen thưởng, Bộ Công Thương", roles: ["ministry"] },
  ...[
    ["Phạm Minh Đức", "Chủ tịch Hội đồng, Cục Công nghiệp địa phương"],
    ["Lê Thị Hồng Nhung", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I"],
    ["Hoàng Văn Sơn", "Sở Công Thương Ninh Bình"],
    ["Đỗ Thu Hà", "Viện Nghiên cứu Cơ khí"],
    ["Vũ Quang Huy", "Hiệp hội Làng nghề Việt Nam"],
    ["Bùi Thị Lan", "Viện Dinh dưỡng"],
    ["Ngô Đức Thắng", "Báo Công Thương"],
  ].map(([fullName, title], i) => ({ email: `juror${i + 1}@demo.cnnt.vn`, fullName, title, roles: ["juror"] as Role[] })),
  { email: "owner@demo.cnnt.vn", fullName: "Đinh Thị Mai", title: "Chủ cơ sở", roles: ["facility"] },
];

export interface DemoStep {
  name: string;
  /** Whether this step's data is already there. */
  done(): Promise<boolean>;
  run(log: (message: string) => void): Promise<void>;
}

const accounts: DemoStep = {
  name: "tài khoản mẫu",
  done: async () => !!(await findUserByEmail("owner@demo.cnnt.vn")),
  async run() {
    let adminId: string | null = null;
    for (const a of DEMO_ACCOUNTS) {
      const existing = await findUserByEmail(a.email);
      if (existing) continue;
      const { id } = await createUser({ email: a.email, password: DEMO_PASSWORD, fullName: a.fullName, title: a.title, roles: a.scope ? [] : a.roles, verified: true });
      if (a.roles.includes("admin")) adminId = id;
      if (a.scope) await grantRole({ actorId: adminId ?? id, userId: id, role: a.roles[0], ...a.scope });
    }
  },
};

/** First of all: the database holds illustrative data, so every page says so ("Dữ liệu minh họa"). */
const demoFlag: DemoStep = {
  name: "đánh dấu dữ liệu minh họa",
  done: () => isDemoData(),
  run: () => markDemoData(),
};

/** Steps run in this order; later capabilities append theirs. */
export const DEMO_STEPS: DemoStep[] = [demoFlag, accounts, programmeDemo, commendationsDemo, rounds2016Demo, published2026Demo, englishTextsDemo, publicVoteDemo, favouriteCertificateDemo];

export async function seedDemo(database: Database, options: { log?: (message: string) => void } = {}) {
  const log = options.log ?? (() => {});
  if (databaseHandle().db !== database) setDatabase({ ...databaseHandle(), db: database });
  for (const step of DEMO_STEPS) {
    if (await step.done()) continue;
    const t0 = Date.now();
    await step.run(log);
    log(`Dữ liệu mẫu: ${step.name} (${Date.now() - t0} ms)`);
  }
}
