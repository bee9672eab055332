import { describe, expect, it } from 'vitest';
import { createLineSplitter } from '../../../src/cli/dev/line-splitter.js';

/** Runs the splitter over chunks; each line as [text, raw bytes read as latin1]. */
function split(chunks: readonly Buffer[], maxBytes?: number): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  const splitter = createLineSplitter((line, raw) => lines.push([line, raw.toString('latin1')]), maxBytes);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('the line splitter of the app output', () => {
  it('gives each line as text without its line break and as the bytes it was written with', () => {
    // Act
    const lines = split([Buffer.from('one\r\ntw'), Buffer.from('o\n\nthree')]);

    // Assess
    expect(lines).toEqual([
      ['one', 'one\r\n'],
      ['two', 'two\n'],
      ['', '\n'],
      ['three', 'three'],
    ]);
  });

  it('decodes invalid UTF-8 as U+FFFD and keeps the bytes as written', () => {
    // Act
    const [line] = split([Buffer.from([0x61, 0xff, 0x0a])]);

    // Assess
    expect(line).toEqual(['a\ufffd', 'a\xff\n']);
  });

  it('cuts a line longer than the bound before the character that straddles it', () => {
    // Prepare: "€" is 3 bytes (E2 82 AC), bytes 4 to 6; the bound is 5.
    const text = 'abcd\u20acfg';

    // Act
    const lines = split([Buffer.from(text)], 5);

    // Assess
    expect(lines.map(([line]) => line)).toEqual(['abcd', '\u20acfg']);
    expect(Buffer.concat(lines.map(([, raw]) => Buffer.from(raw, 'latin1'))).toString()).toBe(text);
  });
});
