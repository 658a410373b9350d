"""Password hashes and HMAC-signed login tokens.

1.4.0 moves to "pbkdf2$<iterations>$<salt>$<hex>" (PBKDF2-HMAC-SHA256). It still reads the old
"sha256$<salt>$<hex>" hashes and, at a successful login, rewrites the user's hash to the new
format. Releases before 1.4.0 do not know the new format: their login answers 500 for such a user.
"""
import base64
import hashlib
import hmac
import secrets
import time

import sqlalchemy as sa

from .config import SECRET

ITERATIONS = 100_000


def hash_password(password: str, salt: str = "") -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS)
    return "pbkdf2$%d$%s$%s" % (ITERATIONS, salt, digest.hex())


def verify_password(password: str, stored: str) -> bool:
    """True/False for a hash this release knows; any other format is a bug: raises ValueError."""
    scheme, _, rest = stored.partition("$")
    if scheme == "sha256":
        salt, _, hexdigest = rest.partition("$")
        return hmac.compare_digest(hashlib.sha256((salt + password).encode()).hexdigest(), hexdigest)
    if scheme == "pbkdf2":
        iterations, salt, hexdigest = rest.split("$", 2)
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
        return hmac.compare_digest(digest.hex(), hexdigest)
    raise ValueError("unknown password hash format %r" % scheme)


def login_check(conn, user_id: int, password: str, stored: str) -> bool:
    """The password check at login; a correct password on an old-format hash rewrites it (1.4.0)."""
    if not verify_password(password, stored):
        return False
    if not stored.startswith("pbkdf2$"):
        conn.execute(sa.text("UPDATE users SET password_hash = :h WHERE id = :id"),
                     {"h": hash_password(password), "id": user_id})
    return True


def make_token(username: str) -> str:
    payload = "%s:%d" % (username, int(time.time()))
    sig = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return base64.urlsafe_b64encode(("%s:%s" % (payload, sig)).encode()).decode().rstrip("=")
