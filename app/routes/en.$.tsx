/** Any unknown /en/… path: the 404 page, in English (issue 19). */
export { default, ErrorBoundary, loader } from "./$";
