"""Who may build surveys and run safety walks in the back office.

The coordinator (the analyst role) builds surveys and organises safety walks, as the issue
says. ``security.py`` has no permission of its own for medborgardialog yet, so until one is
added (e.g. ``SURVEYS_MANAGE``, held by analysts and administrators) this is the analyst's
permission for the other citizen-dialogue work, grannsamverkan: the same people hold it.
"""

from kopingreport.security import Permission

#: Build surveys, see results, organise walks and track åtgärder.
MANAGE = Permission.NEIGHBOURHOOD_MANAGE
