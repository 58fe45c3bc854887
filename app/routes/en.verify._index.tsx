/** /verify in English, at /en/verify (issue 19): the same route module; the URL decides the language. */
export { default, handle, links, loader, meta } from "./verify._index";
