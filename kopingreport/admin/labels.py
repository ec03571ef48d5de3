"""Translated names of roles and organisation kinds."""

from flask_babel import LazyString

from kopingreport.accounts.models import OrganisationKind
from kopingreport.i18n import _l
from kopingreport.security import Role

ROLE_LABELS: dict[Role, LazyString] = {
    Role.RESIDENT: _l("Resident"),
    Role.GRANNSAMVERKAN: _l("Neighbourhood watch contact (kontaktombud)"),
    Role.NATTVANDRARE: _l("Night walker (nattvandrare)"),
    Role.PARTNER: _l("Partner reporter"),
    Role.MODERATOR: _l("Moderator"),
    Role.ANALYST: _l("Analyst / safety coordinator"),
    Role.ADMIN: _l("Administrator"),
}

KIND_LABELS: dict[OrganisationKind, LazyString] = {
    OrganisationKind.MUNICIPALITY: _l("Municipality (kommun)"),
    OrganisationKind.POLICE: _l("Police"),
    OrganisationKind.RESCUE: _l("Rescue service (RTMD)"),
    OrganisationKind.SECURITY: _l("Security company (väktare)"),
    OrganisationKind.HOUSING: _l("Housing company (KBAB)"),
    OrganisationKind.NIGHTWALKERS: _l("Night walkers' association"),
    OrganisationKind.OTHER: _l("Other"),
}
