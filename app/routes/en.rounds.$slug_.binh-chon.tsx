/** /rounds/:slug/binh-chon in English, at /en/rounds/:slug/binh-chon (issue 19): the same route module; the URL decides the language. */
export { default, action, handle, links, loader, meta } from "./rounds.$slug_.binh-chon";
