/**
 * The token of a mailed link (`/verify-email?token=…`, `/reset-password?token=…`) as the API issues
 * it: 32 random bytes in base64url, exactly 43 characters of `A–Z a–z 0–9 - _` (`randomToken` in
 * apps/api/src/modules/identity/tokens.service.ts). A link cut short by a mail client, or with
 * characters added, is caught here, before anyone types a new password for nothing.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The link's token when it has the shape of one, else `undefined` (missing, cut short, damaged). */
export function emailLinkToken(searchParams: URLSearchParams): string | undefined {
  const token = searchParams.get('token')?.trim() ?? '';
  return TOKEN_SHAPE.test(token) ? token : undefined;
}
