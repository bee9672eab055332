// Letters of other scripts that render like Latin letters, as pairs "lookalike, Latin". Only
// what a key can be spelt with to slip past the key list: Cyrillic, Greek and Armenian letters
// that look like a-z (case by case: upper-case Cyrillic Н is an H, lower-case н is not), and the
// few Latin variants compatibility normalisation leaves alone (dotless ı, script ɡ). Fullwidth,
// mathematical and ligature forms are not here: NFKD already folds them to plain letters.
const PAIRS =
  // Cyrillic lower case
  'аaеeоoрpсcуyхxіiјjѕsԁdһhԛqԝwӏl' +
  // Cyrillic upper case
  'АAВBЕEЅSІIЈJКKМMНHОOРPСCТTХXУYԚQԜWӀI' +
  // Greek
  'αaοoρpιiκkνvτtυuχxγyΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX' +
  // Armenian and Latin variants
  'օoսuհhոnզqıiȷjɡgɑaʏyʟlᴅdᴇeᴋkᴍmᴏoᴘpᴛtᴜuᴠvᴡwᴢz';

const LOOKALIKES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = [...PAIRS];
  for (let index = 0; index + 1 < chars.length; index += 2)
    map.set(chars[index] as string, chars[index + 1] as string);
  return map;
})();

// Marks left after NFKD (accents), and characters that render as nothing: zero-width spaces
// and joiners, soft hyphens, bidirectional controls, variation selectors, Hangul fillers.
const MARKS_AND_INVISIBLES = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Folds a non-ASCII key towards the ASCII letters it is made to look like: compatibility
 * decomposition (fullwidth `ｐ`, mathematical `𝐩` and `ﬁ` become `p`, `p`, `fi`), accents and
 * invisible characters removed, Cyrillic, Greek and Armenian lookalikes mapped to Latin.
 *
 * @example
 * foldLookalikes('p\u0430ss\u200bword'); // 'password' (Cyrillic а, zero-width space)
 */
export function foldLookalikes(key: string): string {
  const decomposed = key.normalize('NFKD').replace(MARKS_AND_INVISIBLES, '');
  let out = '';
  for (const char of decomposed) out += LOOKALIKES.get(char) ?? char;
  return out;
}
