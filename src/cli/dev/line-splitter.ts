/** Longest line kept whole, in bytes; a longer one is cut there (EMF documents stay far below it). */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Where to cut `bytes` at most `max` bytes in: before the UTF-8 character that straddles `max`,
 * so that both pieces decode as they were written (unless one character is the whole piece).
 */
function cutAt(bytes: Buffer, max: number): number {
  let cut = max;
  // Continuation bytes are 10xxxxxx: back off to the byte that starts the character.
  while (cut > max - 4 && cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut > 0 ? cut : max;
}

/**
 * Splits a stream of byte chunks into lines (`\n` or `\r\n`), keeping the unfinished tail for
 * the next chunk. Each line is given as its text (decoded as UTF-8, without its line break) and
 * as the bytes it was written with, line break included, so that it can be printed unchanged
 * (invalid UTF-8, `\r\n` and all). A line longer than `maxBytes` is given in pieces (without a
 * line break but the last's), so a process that never writes a newline cannot grow the buffer.
 *
 * @example
 * const split = createLineSplitter((line, raw) => handle(line, raw));
 * stream.on('data', (chunk) => split.push(chunk));
 * stream.on('end', () => split.end());
 */
export function createLineSplitter(
  onLine: (line: string, raw: Buffer) => void,
  maxBytes = MAX_LINE_BYTES,
): { push(chunk: Buffer): void; end(): void } {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Decoding makes a new string and `Buffer.concat` a new buffer: neither keeps the chunk a line
  // was cut from (64 KiB, perhaps of an EMF document that is not kept) alive with the line.
  const emit = (raw: Buffer, isLine: boolean) => {
    let end = raw.length;
    if (isLine && raw[end - 1] === NEWLINE) end -= raw[end - 2] === CARRIAGE_RETURN ? 2 : 1;
    onLine(raw.toString('utf8', 0, end), raw);
  };
  const take = (tail: Buffer): Buffer => {
    const raw = pending.length === 0 ? Buffer.from(tail) : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    return raw;
  };
  return {
    push(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(NEWLINE); newline >= 0; newline = chunk.indexOf(NEWLINE, start)) {
        emit(take(chunk.subarray(start, newline + 1)), true);
        start = newline + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
      // Off the common case: only a line longer than maxBytes has pieces to give.
      while (pendingBytes > maxBytes) {
        const all = Buffer.concat(pending);
        const cut = cutAt(all, maxBytes);
        pending = [all.subarray(cut)];
        pendingBytes = all.length - cut;
        emit(all.subarray(0, cut), false);
      }
    },
    end() {
      if (pendingBytes > 0) emit(take(Buffer.alloc(0)), false);
    },
  };
}
