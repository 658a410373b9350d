"""Password hashes ("sha256$<salt>$<hex>") and HMAC-signed login tokens."""
import base64
import hashlib
import hmac
import secrets
import time

from .config import SECRET


def hash_password(password: str, salt: str = "") -> str:
    salt = salt or secrets.token_hex(8)
    return "sha256$%s$%s" % (salt, hashlib.sha256((salt + password).encode()).hexdigest())


def verify_password(password: str, stored: str) -> bool:
    """True/False for a hash this release knows; any other format is a bug: raises ValueError."""
    scheme, _, rest = stored.partition("$")
    if scheme != "sha256":
        raise ValueError("unknown password hash format %r" % scheme)
    salt, _, hexdigest = rest.partition("$")
    return hmac.compare_digest(hashlib.sha256((salt + password).encode()).hexdigest(), hexdigest)


def login_check(conn, user_id: int, password: str, stored: str) -> bool:
    """The password check at login (1.0.0: verify only; conn is there for releases that rewrite hashes)."""
    return verify_password(password, stored)


def make_token(username: str) -> str:
    payload = "%s:%d" % (username, int(time.time()))
    sig = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return base64.urlsafe_b64encode(("%s:%s" % (payload, sig)).encode()).decode().rstrip("=")
