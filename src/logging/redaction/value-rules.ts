import type { RedactionPatternSource, RedactionRuleName } from '../../config/index.js';
import { findCardNumbersInRun, isCardNumber } from './luhn.js';
import { type IsSensitiveName, redactJsonMembers, redactParameters, redactUserinfo } from './url-rules.js';

// Replacements are functions, never strings, so that a censor text holding `$&` or `$1` is
// written as is rather than read as a replacement pattern.

/**
 * One rule that rewrites secrets found inside a string. Every regular expression here has
 * bounded repetition or a literal anchor, so a hostile string costs linear time.
 */
export interface ValueRule {
  readonly name: string;
  /** Shortest text the rule can match; shorter strings skip it. */
  readonly minLength: number;
  /** A test much cheaper than the rule itself that must hold for the rule to match at all. */
  readonly mayMatch: ((text: string) => boolean) | undefined;
  /**
   * ASCII characters one of which every match contains, when there are such: a string with none
   * of them is skipped without calling `mayMatch` (see the policy's fast path for short text).
   */
  readonly triggers?: string;
  apply(text: string): string;
}

type DefaultValueRuleName = Exclude<RedactionRuleName, 'sensitive-keys'>;

// Runs of 13 or more digits, optionally separated by single spaces or dashes, not glued to
// other digits or letters, unless they are a UUID (8-4-4-4-12 hex groups, matched first and
// kept): a digit run inside an identifier (a UUID whose groups happen to be digits, a hex
// trace id) is no card, and 1 in 10 of those passes the Luhn check by chance. A run is then
// split into candidate card numbers (see redactCardRun).
const CARD_RUN_OR_UUID =
  /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])|\d(?:[ -]?\d){12,}(?![0-9A-Za-z]))/g;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * Censors the card numbers inside one run of digit groups. A run may hold more than a card
 * ("4111 1111 1111 1111 2030" with an expiry glued on), so when the whole run is none, cards of
 * 13 to 19 digits are looked for group by group (findCardNumbersInRun, in linear time); a run
 * without separators is one candidate.
 */
function redactCardRun(run: string, censor: string): string {
  if (!run.includes(' ') && !run.includes('-')) return isCardNumber(run) ? censor : run;
  // A run of 19 digits at most, with single separators, is 37 characters at most.
  if (run.length <= 37 && isCardNumber(run.replace(/[ -]/g, ''))) return censor;
  const cards = findCardNumbersInRun(run);
  if (cards.length === 0) return run;
  let out = '';
  let copied = 0;
  for (let index = 0; index < cards.length; index += 2) {
    out += `${run.slice(copied, cards[index])}${censor}`;
    copied = cards[index + 1] as number;
  }
  return `${out}${run.slice(copied)}`;
}

// Compact JWS/JWE: a base64url JSON header (always `eyJ`, i.e. `{"`), then one to four more
// dot-separated segments. The signature is optional so that a token cut short is caught too.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){0,3}/g;

// RFC 6750 token68 after the scheme word; 8 characters at least so that prose ("bearer bonds")
// is left alone. The scheme word is kept.
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;

// Access key ids of long-term (AKIA) and temporary (ASIA) credentials, and the older prefixes.
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])/g;

// Secret access keys are 40 base64 characters. Not glued to other base64 characters, and with
// upper case, lower case and a digit or / or +, which keeps hex digests (git SHA-1s) and
// CamelCase identifiers out.
const AWS_SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const HAS_UPPER = /[A-Z]/;
const HAS_LOWER = /[a-z]/;
const HAS_DIGIT_OR_SYMBOL = /[0-9/+]/;

const EMAIL =
  /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@((?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})(?![A-Za-z0-9-])/g;

/** `john.doe@example.com` -> `jo***@example.com`; a local part of 2 keeps 1, of 1 keeps none. */
function maskEmail(local: string, domain: string): string {
  const kept = local.length > 2 ? local.slice(0, 2) : local.length === 2 ? local.slice(0, 1) : '';
  return `${kept}***@${domain}`;
}

function createDefaultValueRule(
  name: DefaultValueRuleName,
  censor: string,
  isSensitiveName: IsSensitiveName,
): ValueRule {
  switch (name) {
    case 'url-credentials': {
      // A value already censored (plainly, or percent-encoded by redactUrl) is left as it is.
      const censored = new Set([censor, encodeURIComponent(censor)]);
      // JSON text (`"password":"…"`) always has a quote right before a colon, bar whitespace.
      const mayHoldJson = (text: string): boolean => text.includes('":') || text.includes('" :');
      return {
        name,
        minLength: 3,
        mayMatch: (text) => text.includes('=') || text.includes('://') || mayHoldJson(text),
        triggers: '=:',
        apply: (text) => {
          const named = redactParameters(text, isSensitiveName, censor, censored);
          const members = mayHoldJson(named) ? redactJsonMembers(named, isSensitiveName, censor) : named;
          return redactUserinfo(members, censor);
        },
      };
    }
    case 'card-number':
      return {
        name,
        minLength: 13,
        mayMatch: undefined,
        apply: (text) =>
          text.replace(CARD_RUN_OR_UUID, (run) => (UUID.test(run) ? run : redactCardRun(run, censor))),
      };
    case 'jwt':
      return {
        name,
        minLength: 10,
        mayMatch: (text) => text.includes('eyJ'),
        triggers: 'J',
        apply: (text) => text.replace(JWT, () => censor),
      };
    case 'bearer-token':
      return {
        name,
        minLength: 15,
        mayMatch: undefined,
        apply: (text) => text.replace(BEARER, (_match, scheme: string) => `${scheme} ${censor}`),
      };
    case 'aws-access-key-id':
      return {
        name,
        minLength: 20,
        mayMatch: undefined,
        apply: (text) => text.replace(AWS_ACCESS_KEY_ID, () => censor),
      };
    case 'aws-secret-access-key':
      return {
        name,
        minLength: 40,
        mayMatch: undefined,
        apply: (text) =>
          text.replace(AWS_SECRET_ACCESS_KEY, (match) =>
            HAS_UPPER.test(match) && HAS_LOWER.test(match) && HAS_DIGIT_OR_SYMBOL.test(match)
              ? censor
              : match,
          ),
      };
    case 'email':
      return {
        name,
        minLength: 6,
        mayMatch: (text) => text.includes('@'),
        triggers: '@',
        apply: (text) =>
          text.replace(EMAIL, (_match, local: string, domain: string) => maskEmail(local, domain)),
      };
  }
}

/**
 * Value rules in the order they run: secrets found by name first (URL parameters and userinfo),
 * then scheme-prefixed tokens, then the shapes.
 */
export const DEFAULT_VALUE_RULE_ORDER: readonly DefaultValueRuleName[] = [
  'url-credentials',
  'bearer-token',
  'jwt',
  'aws-access-key-id',
  'aws-secret-access-key',
  'card-number',
  'email',
];

/**
 * Builds the value rules in force: the default ones not disabled, then the user's patterns.
 * `isSensitiveName` judges the names of `name=value` pairs, as the key rules judge keys.
 */
export function createValueRules(
  censor: string,
  disabled: ReadonlySet<string>,
  patterns: readonly RedactionPatternSource[],
  isSensitiveName: IsSensitiveName = () => false,
): ValueRule[] {
  const rules: ValueRule[] = DEFAULT_VALUE_RULE_ORDER.filter((name) => !disabled.has(name)).map((name) =>
    createDefaultValueRule(name, censor, isSensitiveName),
  );
  patterns.forEach((pattern, index) => {
    // Compiled once here, global and never sticky, whatever flags the user gave.
    const regex = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}g`);
    rules.push({
      name: `pattern[${index}]`,
      minLength: 1,
      mayMatch: undefined,
      apply: (text) => text.replace(regex, () => censor),
    });
  });
  return rules;
}
