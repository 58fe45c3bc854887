/**
 * React 18.3's renderToPipeableStream writes its output in views of 2,048 bytes. When a multi-byte
 * UTF-8 character does not fit at the end of a view, React flushes the whole view anyway, so the
 * page carries one to three NUL bytes there ("Dữ li\0ệu"); the fix (facebook/react#26228) is only in
 * React 19. Every server render goes through `stripViewPadding`: a full view's trailing zero bytes
 * are dropped. (A NUL is never legitimate in our HTML: React does not emit one for real text, and
 * HTML parsers would turn it into U+FFFD.)
 */
import { Transform } from "node:stream";

/** React's view size (react-dom-server VIEW_SIZE). */
export const REACT_VIEW_SIZE = 2048;

/** The chunk without the zero bytes React leaves at the end of a full view (at most three). */
export function stripViewPadding(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.byteLength;
  while (end > chunk.byteLength - 3 && chunk[end - 1] === 0) end--;
  return end === chunk.byteLength ? chunk : chunk.subarray(0, end);
}

/** A pass-through for the streamed render that drops that padding. */
export function viewPaddingFilter(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, stripViewPadding(chunk));
    },
  });
}
