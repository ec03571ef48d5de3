"""Translated names of participant groups, walk states, priorities and åtgärd statuses."""

from flask_babel import LazyString

from kopingreport.i18n import _l
from kopingreport.walks.models import ActionStatus, ParticipantGroup, WalkState

GROUP_LABELS: dict[ParticipantGroup, LazyString] = {
    ParticipantGroup.RESIDENTS: _l("Residents"),
    ParticipantGroup.MUNICIPALITY: _l("Municipality (kommun)"),
    ParticipantGroup.POLICE: _l("Police"),
    ParticipantGroup.HOUSING: _l("Housing company (KBAB)"),
    ParticipantGroup.POLITICIANS: _l("Politicians"),
    ParticipantGroup.OTHER: _l("Other"),
}

WALK_STATE_LABELS: dict[WalkState, LazyString] = {
    WalkState.OPEN: _l("Open for stops"),
    WalkState.FINISHED: _l("Protocol being written"),
    WalkState.PUBLISHED: _l("Protocol published"),
}

PRIORITY_LABELS: dict[int, LazyString] = {1: _l("High"), 2: _l("Medium"), 3: _l("Low")}

STATUS_LABELS: dict[ActionStatus, LazyString] = {
    ActionStatus.PROPOSED: _l("Proposed"),
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DECLINED: _l("Declined"),
}
