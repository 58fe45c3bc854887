/** /rounds/:slug/du-kien in English, at /en/rounds/:slug/du-kien (issue 19): the same route module; the URL decides the language. */
export { default, action, ErrorBoundary, handle, loader, meta } from "./rounds.$slug_.du-kien";
