"""Password hashing and (stateless, HMAC-signed) login tokens."""
import base64
import hashlib
import hmac
import time

from .config import SECRET

ITERATIONS = 20000


def hash_password(password: str, salt: str) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS)
    return "pbkdf2_sha256$%d$%s$%s" % (ITERATIONS, salt, digest.hex())


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, iterations, salt, hexdigest = stored.split("$", 3)
    except ValueError:
        return False
    if algo != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(digest.hex(), hexdigest)


def make_token(username: str) -> str:
    payload = "%s:%d" % (username, int(time.time()))
    sig = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return base64.urlsafe_b64encode(("%s:%s" % (payload, sig)).encode()).decode().rstrip("=")
