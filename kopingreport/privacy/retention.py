"""How long each kind of personal data is kept (GDPR storage limitation).

The periods come from the configuration, so the purge and the privacy page always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString

from kopingreport.i18n import _l


@dataclass(frozen=True)
class Kind:
    """One kind of data the purge removes: its name, setting and plain-language rule."""

    name: str
    setting: str
    rule: LazyString


KINDS: tuple[Kind, ...] = (
    Kind("contacts", "CONTACT_RETENTION_DAYS",
         _l("Your e-mail address and phone number on a report: deleted %(days)d days after "
            "the report is closed or done.")),
    Kind("rejected_photos", "RETENTION_REJECTED_PHOTOS_DAYS",
         _l("Photos of reports rejected as spam or abuse: deleted %(days)d days after the "
            "rejection.")),
    Kind("unconfirmed_accounts", "RETENTION_UNCONFIRMED_ACCOUNT_DAYS",
         _l("Accounts whose e-mail address was never confirmed: deleted %(days)d days after "
            "sign-up.")),
    Kind("unused_invitations", "RETENTION_UNUSED_INVITATION_DAYS",
         _l("Staff and partner accounts that were never used: deleted %(days)d days after the "
            "invitation expired.")),
    Kind("survey_tokens", "RETENTION_SURVEY_TOKEN_DAYS",
         _l("Survey device marks, single-use codes and the link between an answer and an "
            "account: deleted %(days)d days after the survey closes.")),
    Kind("declined_applications", "RETENTION_DECLINED_APPLICATION_DAYS",
         _l("Declined grannsamverkan applications: deleted %(days)d days after the "
            "decision.")),
    Kind("ended_contacts", "RETENTION_ENDED_CONTACT_DAYS",
         _l("Grannsamverkan register entries that have ended: deleted %(days)d days after "
            "they ended.")),
    Kind("unused_photos", "RETENTION_UNUSED_PHOTO_DAYS",
         _l("Photos of a report form that was never sent: deleted after %(days)d days.")),
    Kind("stale_locks", "RETENTION_LOCK_DAYS",
         _l("Which moderator has a report open: forgotten after %(days)d days.")),
    Kind("barrier_reports", "RETENTION_BARRIER_REPORT_DAYS",
         _l("Messages about accessibility barriers: deleted %(days)d days after they were "
            "sent.")),
)


def days(config: Mapping[str, Any], kind: Kind) -> int:
    """The retention period of ``kind`` in days (never negative)."""
    return max(0, int(config[kind.setting]))


def rules(config: Mapping[str, Any]) -> list[str]:
    """Every retention rule as a sentence in the current language, for the privacy page."""
    return [str(kind.rule % {"days": days(config, kind)}) for kind in KINDS]
