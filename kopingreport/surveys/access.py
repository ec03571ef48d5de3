"""Who may build surveys and run safety walks in the back office.

The analyst builds surveys and organises safety walks (issue 6); administrators may do
everything. Moderators do not: they review reports, not citizen dialogue.
"""

from kopingreport.security import Permission

#: Build surveys, see results, organise walks and track åtgärder.
MANAGE = Permission.SURVEYS_MANAGE
