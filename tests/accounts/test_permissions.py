"""The permission matrix: every back-office route, every role, anonymous visitors."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.security import ROLE_PERMISSIONS, Permission, Role
from tests.factories import csrf_token, log_in_as


def call(client: FlaskClient, method: str, url: str):
    """The request with a valid CSRF token, so that only the permission check can refuse."""
    data = {"csrf_token": csrf_token(client, "/login")} if method == "POST" else None
    return client.open(url, method=method, data=data)

#: (method, URL, permission it needs). Extend when a back-office route is added; the
#: completeness test below fails for a route missing here.
ROUTES: list[tuple[str, str, Permission]] = [
    ("GET", "/admin/", Permission.BACKOFFICE_ACCESS),
    ("GET", "/admin/users", Permission.USERS_MANAGE),
    ("GET", "/admin/users/new", Permission.USERS_MANAGE),
    ("POST", "/admin/users/new", Permission.USERS_MANAGE),
    ("GET", "/admin/users/1", Permission.USERS_MANAGE),
    ("POST", "/admin/users/1", Permission.USERS_MANAGE),
    ("GET", "/admin/organisations", Permission.ORGANISATIONS_MANAGE),
    ("GET", "/admin/organisations/new", Permission.ORGANISATIONS_MANAGE),
    ("POST", "/admin/organisations/new", Permission.ORGANISATIONS_MANAGE),
    ("GET", "/admin/organisations/1", Permission.ORGANISATIONS_MANAGE),
    ("GET", "/admin/photos/1/full.jpg", Permission.REPORTS_READ),
    ("GET", "/admin/neighbourhood-watch/", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/map", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/map.geojson", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/export.csv", Permission.NEIGHBOURHOOD_MANAGE),
    ("POST", "/admin/neighbourhood-watch/reminders", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/1", Permission.NEIGHBOURHOOD_MANAGE),
    ("POST", "/admin/neighbourhood-watch/1/decision", Permission.NEIGHBOURHOOD_MANAGE),
    ("POST", "/admin/neighbourhood-watch/1/signs", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/messages", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/messages/new", Permission.NEIGHBOURHOOD_MANAGE),
    ("POST", "/admin/neighbourhood-watch/messages/new", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/neighbourhood-watch/messages/1", Permission.NEIGHBOURHOOD_MANAGE),
    ("GET", "/admin/reports", Permission.REPORTS_READ),
    ("GET", "/admin/reports/map", Permission.REPORTS_READ),
    ("GET", "/admin/reports/map.geojson", Permission.REPORTS_READ),
    ("POST", "/admin/reports/bulk", Permission.REPORTS_MODERATE),
    ("GET", "/admin/reports/1", Permission.REPORTS_READ),
    ("POST", "/admin/reports/1/state", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/assign", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/notes", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/reply", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/public-text", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/precision", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/publish", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/merge/2", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/lock", Permission.REPORTS_MODERATE),
    ("POST", "/admin/reports/1/contact", Permission.CONTACTS_READ),
    ("POST", "/admin/reports/1/photos/1/redact", Permission.REPORTS_MODERATE),
    ("GET", "/admin/reports/1/photos/1/public.jpg", Permission.REPORTS_READ),
    ("GET", "/admin/nightwalks/", Permission.NIGHTWALKS_READ),
    ("GET", "/admin/nightwalks/1", Permission.NIGHTWALKS_READ),
    ("GET", "/admin/situation/", Permission.SITUATION_READ),
    ("GET", "/admin/situation/print", Permission.SITUATION_READ),
    ("GET", "/admin/situation/map.geojson", Permission.SITUATION_READ),
    ("GET", "/admin/situation/export.csv", Permission.SITUATION_READ),
    ("GET", "/admin/situation/export-excel.csv", Permission.SITUATION_READ),
    ("GET", "/admin/situation/export.geojson", Permission.SITUATION_READ),
    ("GET", "/admin/situation/table.csv", Permission.SITUATION_READ),
    ("POST", "/admin/situation/snapshots", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/snapshots", Permission.SITUATION_READ),
    ("GET", "/admin/situation/snapshots/1", Permission.SITUATION_READ),
    ("GET", "/admin/situation/snapshots/1/print", Permission.SITUATION_READ),
    ("GET", "/admin/situation/snapshots/1/table.csv", Permission.SITUATION_READ),
    ("GET", "/admin/situation/sharing", Permission.SITUATION_SHARE),
    ("POST", "/admin/situation/sharing", Permission.SITUATION_SHARE),
    ("GET", "/admin/situation/lagesbild/", Permission.SITUATION_READ),
    ("POST", "/admin/situation/lagesbild/", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/lagesbild/1", Permission.SITUATION_READ),
    ("GET", "/admin/situation/lagesbild/1/print", Permission.SITUATION_READ),
    ("POST", "/admin/situation/lagesbild/1/texts", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/lagesbild/1/adopt", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/lagesbild/1/actions/new", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/lagesbild/1/actions/new", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/lagesbild/1/actions/link", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/actions/1/follow-ups", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/promises/", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/promises/new", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/promises/new", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/promises/1", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/promises/1", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/promises/1/focus/new", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/promises/1/focus/new", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/focus/1", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/focus/1", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/focus/1/activities/new", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/focus/1/activities/new", Permission.SITUATION_MANAGE),
    ("GET", "/admin/situation/activities/1", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/activities/1", Permission.SITUATION_MANAGE),
    ("POST", "/admin/situation/focus/1/notes", Permission.SITUATION_MANAGE),
    ("GET", "/admin/open311/keys", Permission.OPEN311_KEYS_MANAGE),
    ("POST", "/admin/open311/keys", Permission.OPEN311_KEYS_MANAGE),
    ("POST", "/admin/open311/keys/1/revoke", Permission.OPEN311_KEYS_MANAGE),
    # Medborgardialog: surveys, safety walks and åtgärder (analysts and administrators).
    ("GET", "/admin/surveys/", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/new", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/settings", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/settings", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/publish", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/preview", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/preview", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/sections", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/sections/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/sections/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/sections/1/delete", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/questions/new", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/questions/new", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/questions/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/questions/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/questions/1/up", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/results", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/results.csv", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/results.geojson", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/photos/abc.jpg", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/codes", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/surveys/1/codes", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/surveys/1/codes/1", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/new", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/new", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/1", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/1/edit", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/1/edit", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/1/state", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/1/protocol", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/stops/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/stops/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/stops/1/move", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/photos/1/thumb.jpg", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/actions/", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/actions/new/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/actions/new/1", Permission.SURVEYS_MANAGE),
    ("GET", "/admin/walks/actions/1", Permission.SURVEYS_MANAGE),
    ("POST", "/admin/walks/actions/1", Permission.SURVEYS_MANAGE),
]


def test_every_admin_route_is_in_the_matrix(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    covered = {(adapter.match(url, method=method)[0], method) for method, url, _p in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (rule.endpoint, method) in covered, \
                    f"{method} {rule.rule} has no permission test"


@pytest.mark.parametrize("method,url,_perm", ROUTES)
def test_anonymous_visitors_are_sent_to_login(client: FlaskClient, method: str, url: str,
                                              _perm: Permission) -> None:
    response = call(client, method, url)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_exactly_its_routes(app: Flask, client: FlaskClient, role: str) -> None:
    log_in_as(app, client, role)
    for method, url, permission in ROUTES:
        response = call(client, method, url)
        allowed = permission in ROLE_PERMISSIONS[Role(role)]
        if allowed:
            assert response.status_code not in (302, 401, 403), (role, method, url)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
