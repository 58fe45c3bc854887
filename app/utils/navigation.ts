/**
 * The main menu: the public items every visitor sees, then one or two per role. Pure, so the
 * header (root.tsx) and a test share it: no two items may carry the same name, whatever roles a
 * person holds (a ministry officer once saw "Khen thưởng" twice — the public list and their desk).
 */
import type { Role } from "./permissions";

export interface NavItem {
  to: string;
  label: string;
  /** NavLink's `end`: only the exact path marks the item current. */
  end?: boolean;
  /** Public items: the key of the label in app/i18n/locales (the English mirror translates them). */
  i18nKey?: string;
}

export const PUBLIC_NAV: NavItem[] = [
  { to: "/", label: "Trang chủ", end: true, i18nKey: "nav.home" },
  { to: "/rounds", label: "Kết quả bình chọn", i18nKey: "nav.rounds" },
  { to: "/commendations", label: "Khen thưởng", i18nKey: "nav.commendations" },
  { to: "/verify", label: "Tra cứu chứng nhận", i18nKey: "nav.verify" },
  { to: "/programme", label: "Khuyến công", i18nKey: "nav.programme" },
];

export const ROLE_NAV: Record<Role, NavItem[]> = {
  facility: [{ to: "/facility", label: "Cơ sở của tôi" }],
  juror: [{ to: "/jury", label: "Chấm điểm" }],
  organizer: [
    { to: "/organizer", label: "Ban tổ chức" },
    { to: "/organizer/programme", label: "Số liệu khuyến công" },
  ],
  ministry: [{ to: "/ministry", label: "Quản lý khen thưởng" }],
  admin: [{ to: "/admin", label: "Quản trị" }],
};

/** The menu of a visitor with these roles (none when signed out), without repeats. */
export function menuFor(roles: readonly string[]): NavItem[] {
  const items = [...PUBLIC_NAV, ...[...new Set(roles)].flatMap((r) => ROLE_NAV[r as Role] ?? [])];
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.to) ? false : (seen.add(i.to), true)));
}

/**
 * Where "Đăng ký tham gia" takes a visitor: a signed-out visitor signs up or in, a facility
 * account goes to its desk, any other account (juror, officer) is told it cannot enter and what to
 * do instead — never a 403.
 */
export function entryDoorFor(user: { roles: readonly string[] } | null): "sign-up" | "facility" | "needs-facility-account" {
  if (!user) return "sign-up";
  return user.roles.includes("facility") ? "facility" : "needs-facility-account";
}
