import { createHash } from 'node:crypto';

// A stack frame line as V8 writes it: "    at fn (file:line:col)" or "    at file:line:col".
const FRAME = /^\s*at\s+/;
// The position at the end of a frame: ":12:34" before an optional closing parenthesis.
const POSITION = /:\d+(?::\d+)?(?=\)?$)/;

/**
 * The first frame of a V8 stack, without its line and column: `fn (/var/task/index.mjs)`.
 * Undefined when the stack has no frame (a non-Error value, or a stack cut before its frames).
 *
 * @example
 * topFrameOf('TypeError: x\n    at charge (/var/task/pay.mjs:12:5)'); // 'charge (/var/task/pay.mjs)'
 */
export function topFrameOf(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n')) {
    if (!FRAME.test(line)) continue;
    return line
      .replace(FRAME, '')
      .trim()
      .replace(/^file:\/\//, '')
      .replace(POSITION, '');
  }
  return undefined;
}

/**
 * The error's fingerprint: same error type and same top frame, same fingerprint
 * (docs/decisions/0026-error-fingerprint.md). Line and column are left out so that a deploy
 * that moves code does not split one error into two; the message is left out because it holds
 * ids and amounts. 16 hex digits of SHA-256 over `type` and the frame.
 *
 * @example
 * errorFingerprint('TypeError', 'TypeError: x\n    at charge (/var/task/pay.mjs:12:5)'); // '3f0c…' (16 hex digits)
 */
export function errorFingerprint(type: string, stack: string | undefined): string {
  const frame = topFrameOf(stack) ?? '(no frame)';
  return createHash('sha256').update(`${type}\n${frame}`).digest('hex').slice(0, 16);
}
