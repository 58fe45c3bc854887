import { ErrorPage } from "~/components/ErrorPage";

export async function loader() {
  throw new Response("Không tìm thấy trang", { status: 404 });
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

export function ErrorBoundary() {
  return <ErrorPage status={404} />;
}
