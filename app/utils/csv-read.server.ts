/**
 * Reading an uploaded CSV: strict UTF-8 through the platform's decoder and RFC 4180 records through
 * csv-parse, with "," or ";" (Excel in some locales writes ";"). The writer is `csv.ts`.
 */
import { CsvError, parse } from "csv-parse/sync";

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** The text, or null when the bytes are not valid UTF-8 (a BOM is dropped). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The byte offset of the first invalid UTF-8 sequence, or -1. The decoder says whether the bytes are
 * valid; where they are not, the first U+FFFD the lenient decoder put in that the bytes do not spell
 * (EF BF BD) is the place.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (decodeUtf8(bytes) !== null) return -1;
  const text = lenient.decode(bytes);
  let offset = 0;
  let from = 0;
  for (let at = text.indexOf("\uFFFD"); at >= 0; at = text.indexOf("\uFFFD", at + 1)) {
    offset += encoder.encode(text.slice(from, at)).length;
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset;
    offset += 3;
    from = at + 1;
  }
  return -1;
}

/** The 1-based line of a byte offset. */
export function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

const OPTIONS = {
  relax_column_count: true,
  relax_quotes: true, // a quote inside an unquoted value is kept as it is
  skip_empty_lines: false,
  record_delimiter: ["\r\n", "\n", "\r"],
};

/** "," or ";", whichever splits the first record into more fields (quotes strict here, so a quoted
 * value's separators count for neither). */
function delimiterOf(text: string): "," | ";" {
  const fields = (delimiter: string) => {
    try {
      return (parse(text.slice(0, 65536), { ...OPTIONS, relax_quotes: false, delimiter, to: 1 }) as string[][])[0]?.length ?? 0;
    } catch {
      return 0;
    }
  };
  return fields(";") > fields(",") ? ";" : ",";
}

export interface CsvRow {
  /** The line the record starts on (quoted values may span lines). */
  line: number;
  cells: string[];
}

/** Records with the line each starts on; an unclosed quote is an error naming its line. */
export function parseCsv(text: string): { rows: CsvRow[]; error?: { row: number; message: string } } {
  const lines: number[] = [];
  let end = 0;
  try {
    const records = parse(text, {
      ...OPTIONS,
      delimiter: delimiterOf(text),
      on_record: (record: string[], context) => {
        lines.push(end + 1);
        end = context.lines;
        return record;
      },
    }) as string[][];
    return { rows: records.map((cells, i) => ({ line: lines[i], cells })) };
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const row = end + 1;
    const message = e.code === "CSV_QUOTE_NOT_CLOSED" ? `Dòng ${row}: dấu ngoặc kép (") mở mà không đóng.` : `Dòng ${row}: không đọc được dòng CSV này.`;
    return { rows: [], error: { row, message } };
  }
}
