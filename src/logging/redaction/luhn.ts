/**
 * Whether a string of digits passes the Luhn checksum that every payment card number carries.
 *
 * @example
 * isLuhnValid('4111111111111111'); // true
 */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Whether a digit string looks like a payment card number: 13 to 19 digits, a first digit
 * from 2 to 6 (every major network: Mastercard 2/5, Amex and Diners 3, Visa 4, Discover and
 * UnionPay 6) and a valid Luhn checksum. The first-digit check keeps millisecond timestamps
 * and 64-bit snowflake ids (which start with 1) from being mistaken for cards.
 */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0);
  return first >= 50 && first <= 54 && isLuhnValid(digits);
}

/**
 * The card numbers inside a run of digit groups (digits and single spaces or dashes), as
 * `[start, end)` offsets into the run, two numbers per card. From each group in turn, the
 * shortest card that ends where a later group ends is taken (13 to 19 digits, as
 * `isCardNumber` judges them with the separators taken out), and the search goes on after it.
 *
 * Linear in the run: Luhn sums of every prefix of the digits are kept for both parities, so a
 * candidate is judged in constant time and no candidate string is built. Building and checking
 * each candidate cost hundreds of steps per digit on a run like `5-5-5-…`.
 *
 * @example
 * findCardNumbersInRun('4111 1111 1111 1111 2030'); // [0, 19]
 */
export function findCardNumbersInRun(run: string): number[] {
  // Per group: its offset in the run and the count of digits before it (plus the total, last).
  // Typed arrays sized for the worst case, so that a long run costs no regrowth.
  const groupStarts = new Int32Array((run.length + 1) >> 1);
  const digitsBefore = new Int32Array(groupStarts.length + 1);
  // Luhn sums of the first k digits, with the digits at even (resp. odd) positions doubled. In a
  // candidate that ends before digit `to`, the digits doubled are those at positions of the
  // parity of `to` (the last one, at `to - 1`, never is).
  const evenDoubled = new Int32Array(run.length + 1);
  const oddDoubled = new Int32Array(run.length + 1);
  let groups = 0;
  let digits = 0;
  let inGroup = false;
  for (let index = 0; index < run.length; index += 1) {
    const digit = run.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) {
      inGroup = false;
      continue;
    }
    if (!inGroup) {
      inGroup = true;
      groupStarts[groups] = index;
      digitsBefore[groups] = digits;
      groups += 1;
    }
    const doubled = digit > 4 ? digit * 2 - 9 : digit * 2;
    const even = digits % 2 === 0;
    evenDoubled[digits + 1] = (evenDoubled[digits] as number) + (even ? doubled : digit);
    oddDoubled[digits + 1] = (oddDoubled[digits] as number) + (even ? digit : doubled);
    digits += 1;
  }
  digitsBefore[groups] = digits;

  const cards: number[] = [];
  // The first group at which a card from the current start can end (13 digits at least): it
  // only moves forward as the start does.
  let shortest = 0;
  let group = 0;
  while (group < groups) {
    const start = groupStarts[group] as number;
    const first = run.charCodeAt(start);
    let end = -1;
    if (first >= 50 && first <= 54) {
      const from = digitsBefore[group] as number;
      if (shortest < group) shortest = group;
      while (shortest < groups && (digitsBefore[shortest + 1] as number) - from < 13) shortest += 1;
      for (let last = shortest; last < groups; last += 1) {
        const to = digitsBefore[last + 1] as number;
        if (to - from > 19) break;
        const sums = to % 2 === 0 ? evenDoubled : oddDoubled;
        if (((sums[to] as number) - (sums[from] as number)) % 10 === 0) {
          end = last;
          break;
        }
      }
    }
    if (end === -1) {
      group += 1;
    } else {
      const endDigits = (digitsBefore[end + 1] as number) - (digitsBefore[end] as number);
      cards.push(start, (groupStarts[end] as number) + endDigits);
      group = end + 1;
    }
  }
  return cards;
}
