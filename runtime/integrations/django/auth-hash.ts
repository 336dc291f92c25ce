// django.contrib.auth's session auth hash: what `login()` stores as `_auth_user_hash` and `get_user()`
// compares on every request, so that changing the password logs out the user's other sessions. A
// Node service that trusts a session's `_auth_user_id` should check it the same way.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const KEY_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash";

/**
 * `user.get_session_auth_hash()`: salted_hmac(KEY_SALT, password, secret, algorithm="sha256")
 * in hex, where `password` is the user's stored password field (e.g. "pbkdf2_sha256$…").
 */
export function sessionAuthHash(password: string, secretKey: string): string {
  const key = createHash("sha256")
    .update(KEY_SALT + secretKey, "utf8")
    .digest();
  return createHmac("sha256", key).update(password, "utf8").digest("hex");
}

/**
 * Whether a session's `_auth_user_hash` matches the user's password field under SECRET_KEY or one of
 * SECRET_KEY_FALLBACKS (pass them in that order), compared in constant time as Django does. False
 * means Django would flush the session on its next request.
 */
export function verifySessionAuthHash(sessionHash: string, password: string, secretKeys: readonly string[]): boolean {
  if (sessionHash === "") return false;
  const given = Buffer.from(sessionHash, "utf8");
  return secretKeys.some((secret) => {
    const expected = Buffer.from(sessionAuthHash(password, secret), "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
