/** Where in a request a rule looks. */
export type InspectedPart = 'url' | 'query' | 'body';

/** One curated detection rule. */
export interface SecurityRule {
  /** Stable id: the `Rule` dimension of `SuspiciousRequest` and the `rule` log field. */
  readonly id: string;
  readonly description: string;
  /** Where it applies. */
  readonly parts: readonly InspectedPart[];
  /**
   * Matched against decoded text (one value per line, keys included for bodies). Written to
   * run in linear time: no nested quantifiers, bounded gaps.
   */
  readonly pattern: RegExp;
}

const ALL: readonly InspectedPart[] = ['url', 'query', 'body'];

// What may separate SQL keywords: blanks and up to 16 inline comments, at least one of either.
// A comment ends at its first `*/` and holds at most 40 characters.
const SQL_GAP = String.raw`(?=[\s/])\s*(?:\/\*(?:[^*]|\*(?!\/)){0,40}\*\/\s*){0,16}`;

/**
 * The rules `securityMonitor()` applies. They look for the shape of an attack, not for words:
 * "select", "drop", "union", "script" or "../docs" in ordinary text do not match.
 *
 * @example
 * SECURITY_RULES.map((rule) => rule.id); // ['xss-script-tag', 'xss-event-handler', ...]
 */
export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: 'xss-script-tag',
    description: 'A <script> tag.',
    parts: ALL,
    pattern: /<\s*script\b[^>]{0,200}>|<\s*\/\s*script\s*>/i,
  },
  {
    id: 'xss-event-handler',
    description: 'An HTML tag with an inline event handler (onerror=, onload=, ...).',
    parts: ALL,
    pattern: /<\s*[a-z][a-z0-9]{0,20}\b[^>]{0,200}?\bon[a-z]{3,20}\s*=/i,
  },
  {
    id: 'xss-javascript-uri',
    description: 'A javascript: URI in an attribute or link.',
    parts: ALL,
    pattern: /(?:^|[\s"'=(])javascript\s*:\s*[a-z(]/im,
  },
  {
    id: 'sqli-union-select',
    description: 'UNION [ALL] SELECT, the shape of a UNION-based SQL injection.',
    parts: ALL,
    // A comment ends at its first `*/`: a body that could hold one (`.{0,40}?`) can split a run of
    // `/**/` in exponentially many ways, all tried before the match fails. And at most 16 comments
    // per gap: a comment can hold "union" (`/*union/**/` is one), so an unbounded run starting at
    // each "union" would rescan the rest of the text from every one of them (quadratic).
    pattern: new RegExp(String.raw`\bunion${SQL_GAP}(?:(?:all|distinct)${SQL_GAP})?select\b`, 'i'),
  },
  {
    id: 'sqli-drop-table',
    description:
      'DROP TABLE/DATABASE/SCHEMA after a quote or semicolon, or as a whole statement ending in ; or -- (stacked query).',
    parts: ALL,
    // `^[ \t]*`, not `^\s*`: `\s` crosses line ends, so every line start would scan all the
    // blank lines after it (quadratic in a body of newlines).
    pattern:
      /[;'"`]\s*drop\s+(?:table|database|schema)\s+[\w`"[]|^[ \t]*drop\s+(?:table|database|schema)\s+(?:if\s+exists\s+)?[\w."`[\]]{1,64}\s*(?:;|--)/im,
  },
  {
    id: 'sqli-tautology',
    description: "A quote-closing tautology such as ' OR '1'='1 or \" or 1=1 --.",
    parts: ALL,
    pattern: /['"]\s*(?:or|and)\s+['"]?(\w{1,20})['"]?\s*=\s*['"]?\1\b/i,
  },
  {
    id: 'sqli-time-delay',
    description: 'A time-based blind SQL injection probe (SLEEP(n), PG_SLEEP(n), WAITFOR DELAY).',
    parts: ALL,
    pattern: /\b(?:pg_)?sleep\s*\(\s*\d{1,3}\s*\)|\bwaitfor\s+delay\s+'/i,
  },
  {
    id: 'path-traversal',
    description: 'A ../ (or ..\\) path segment in the URL or query string.',
    parts: ['url', 'query'],
    pattern: /(?:^|[/\\=])\.\.(?:[/\\]|$)/m,
  },
  {
    id: 'path-traversal-deep',
    description: 'Two or more ../ segments in a row in a body (one alone is common in text).',
    parts: ['body'],
    pattern: /(?:\.\.[/\\]){2,}/,
  },
  {
    id: 'sensitive-file',
    description: 'A path to a well-known system file (/etc/passwd, /proc/self/environ, win.ini).',
    parts: ALL,
    pattern: /\/etc\/(?:passwd|shadow|hosts)\b|\/proc\/self\/|\bwin\.ini\b|\bboot\.ini\b/i,
  },
  {
    id: 'command-injection',
    description: 'A shell separator or substitution followed by a common command and its argument.',
    parts: ALL,
    pattern:
      /(?:[;&|`]|\$\()\s*(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|bash|sh|zsh|powershell|cmd|rm|chmod|ping|nslookup|python3?|perl)\b(?:\s+(?:-|\/|https?:|\$)|\s*(?:[;&|`)]|$))/m,
  },
  {
    id: 'template-injection',
    description:
      'A server-side template expression that computes or reaches objects ({{7*7}}, constructor or __proto__ in an expression).',
    parts: ALL,
    pattern:
      /(?:\{\{|\$\{|<%=?|#\{)\s*[\w.\s'"]{0,40}?(?:\d+\s*[*+/-]\s*\d+|constructor|__proto__|process\.|require\s*\(|self\.|config\.)/i,
  },
  {
    id: 'prototype-pollution',
    description: 'A __proto__ or constructor.prototype key or path.',
    parts: ALL,
    pattern: /__proto__|constructor\s*(?:\.|\[\s*['"]?)\s*prototype/,
  },
];
