"""Two-factor authentication with time-based one-time codes (RFC 6238)."""

from __future__ import annotations

import time

import pyotp
import segno

from kopingreport.accounts.models import User


def new_secret() -> str:
    """A fresh base32 secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no script, allowed by the CSP)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#0b2530", light="#ffffff"))


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp, moment = pyotp.TOTP(secret), time.time() if now is None else now
    for drift in (0, -1, 1):
        step = int(moment // totp.interval) + drift
        if totp.at(step * totp.interval) == code:
            return step
    return None


def verify_code(secret: str, code: str, now: float | None = None) -> bool:
    """Whether ``code`` is valid for ``secret`` now (one step of clock drift allowed)."""
    return _matching_step(secret, code, now) is not None


def verify_user_code(user: User, code: str, now: float | None = None) -> bool:
    """Check a login code and remember its time step, so the same code cannot be reused."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
