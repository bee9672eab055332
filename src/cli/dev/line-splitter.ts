/** Longest line kept whole; a longer one is cut there (EMF documents stay far below it). */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Splits a stream of text chunks into lines (`\n` or `\r\n`), keeping the unfinished tail
 * for the next chunk. A line longer than `maxChars` is emitted in pieces, so a process that
 * never writes a newline cannot grow the buffer.
 *
 * @example
 * const split = createLineSplitter((line) => handle(line));
 * stream.on('data', (chunk) => split.push(chunk));
 * stream.on('end', () => split.end());
 */
export function createLineSplitter(
  onLine: (line: string) => void,
  maxChars = MAX_LINE_CHARS,
): { push(chunk: string): void; end(): void } {
  let pending = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      while (pending.length > maxChars) {
        emit(pending.slice(0, maxChars));
        pending = pending.slice(maxChars);
      }
    },
    end() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}
