import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_LENGTH } from '@plumbline/contracts';

/**
 * The passwords attackers try first: the ranked common-password list (about 49,000 entries from
 * leaked-password corpora) of the maintained zxcvbn-ts project (@zxcvbn-ts/language-common,
 * MIT, pinned exactly). Loaded once, lower-cased.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * Why a new password is refused, or null. The length (12+, checked by the request schema as
 * well) and NIST SP 800-63B's "compare against commonly used passwords": the password itself,
 * or the password with digits and symbols trimmed from either end ("Password2024!",
 * "!!qwertyuiop1"), or one short or common piece repeated ("abcabcabcabc", "iloveyou-iloveyou"), or the email or its name part.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return `password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
  const compact = lower.replace(/[\s._-]+/g, '');
  const unit = /^(.+?)\1+$/su.exec(compact)?.[1];
  if (
    COMMON.has(lower) ||
    COMMON.has(compact) ||
    (core.length >= 4 && COMMON.has(core)) ||
    (unit !== undefined && (unit.length <= 4 || COMMON.has(unit))) ||
    new Set(lower).size < 4
  )
    return 'this password is too common or too simple: choose a longer, less predictable one (a few unrelated words work well)';
  if (email) {
    const address = email.toLowerCase();
    const name = address.split('@')[0] ?? '';
    if (lower === address || core === name || compact === name.replace(/[._-]+/g, ''))
      return 'the password must not be your email address';
  }
  return null;
}
