/**
 * PUBLIC_URL is printed in every certificate QR code and "Kiểm tra tại …" line. When people reach the
 * site on another host (a LAN address, a proxy's name, another port), those links point elsewhere:
 * the server warns once per host in its log and the admin page lists the hosts (issue 11, item 8).
 * Kept on globalThis: server.ts records, the Remix build's admin page reads.
 */
import { env } from "./env.server";

const KEY = "__cnntForeignHosts";
const MAX_HOSTS = 20;

type State = Map<string, { first: Date; count: number }>;
function state(): State {
  const g = globalThis as { [KEY]?: State };
  return (g[KEY] ??= new Map());
}

export function publicHost(): string {
  return new URL(env().PUBLIC_URL).host;
}

/** A warning for the start-up log when PUBLIC_URL names this machine on another port; else null. */
export function startupWarning(): string | null {
  const url = new URL(env().PUBLIC_URL);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (local && port !== env().PORT) {
    return `Cảnh báo: PUBLIC_URL=${env().PUBLIC_URL} trỏ tới cổng ${port} nhưng máy chủ chạy ở cổng ${env().PORT}: mã QR và dòng "Kiểm tra tại …" trên giấy chứng nhận sẽ trỏ sai. Hãy đặt PUBLIC_URL đúng địa chỉ người dùng truy cập.`;
  }
  return null;
}

/**
 * Records the Host a request arrived on. Returns a log warning the first time a host other than
 * PUBLIC_URL's is seen (at most MAX_HOSTS are remembered, so a flood of forged hosts cannot grow it).
 */
export function noteRequestHost(host: string | undefined): string | null {
  if (!host) return null;
  const h = host.toLowerCase().slice(0, 255);
  if (h === publicHost().toLowerCase()) return null;
  const seen = state();
  const hit = seen.get(h);
  if (hit) {
    hit.count++;
    return null;
  }
  if (seen.size >= MAX_HOSTS) return null;
  seen.set(h, { first: new Date(), count: 1 });
  return `Cảnh báo: có yêu cầu tới địa chỉ ${h}, khác với PUBLIC_URL (${env().PUBLIC_URL}). Mã QR và đường dẫn kiểm tra trên giấy chứng nhận dùng PUBLIC_URL; nếu người dùng truy cập qua ${h}, hãy đặt PUBLIC_URL cho đúng.`;
}

/** Hosts seen that differ from PUBLIC_URL's, for the admin page. */
export function foreignHosts(): { host: string; first: string; count: number }[] {
  return [...state()].map(([host, v]) => ({ host, first: v.first.toISOString(), count: v.count }));
}

/** For tests. */
export function forgetRequestHosts() {
  state().clear();
}
