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
