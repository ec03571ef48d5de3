"""Sending e-mail: through SMTP when configured, otherwise to the log.

In tests (``TESTING``) every message is also kept in ``app.extensions["mail_outbox"]``.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message (never raises: a failed notice must not lose a report)."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg.get("MAIL_FROM") or "kopingreport@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if cfg.get("TESTING"):
        current_app.extensions.setdefault("mail_outbox", []).append(message)
    if not cfg.get("SMTP_HOST"):
        log.info("e-mail (no SMTP configured) to=%s subject=%s\n%s", to, subject, body)
        return
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 587), timeout=10) as smtp:
            smtp.starttls()
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send e-mail to %s", to)
