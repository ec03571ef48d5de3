"""kopingreport: the open, resident-first safety-reporting system for Köping."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handling."""
    from kopingreport import cli, config as settings, db, i18n
    from kopingreport.accounts.registration import bp as registration_bp
    from kopingreport.accounts.views import bp as accounts_bp
    from kopingreport.admin.views import bp as admin_bp
    from kopingreport.moderation.casework import bp as casework_bp
    from kopingreport.moderation.views import bp as moderation_bp
    from kopingreport.neighbourhood.backoffice import bp as neighbourhood_admin_bp
    from kopingreport.neighbourhood.views import bp as neighbourhood_bp
    from kopingreport.nightwalks.backoffice import bp as nightwalks_admin_bp
    from kopingreport.nightwalks.views import bp as nightwalks_bp
    from kopingreport.api.views import bp as api_bp
    from kopingreport.extensions import babel, csrf, limiter, login_manager
    from kopingreport.open311 import admin as open311_admin, views as open311_views
    from kopingreport.privacy import rights as privacy_rights, views as privacy_views
    from kopingreport.reports.views import bp as reports_bp
    from kopingreport.situation import doc_views, promise_views, public_views
    from kopingreport.situation import snapshot_views, views as situation_views
    from kopingreport.surveys import admin as surveys_admin, admin_questions, admin_results
    from kopingreport.surveys import api as surveys_api, views as surveys_views
    from kopingreport.walks import action_views, admin as walks_admin, views as walks_views
    from kopingreport.web import assets, compress, errors, forms, http, pages, pwa
    from kopingreport.web import logging as request_logging
    from kopingreport.web.app import KopingreportFlask

    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "KOPINGREPORT_INSTANCE_PATH") or ROOT / "instance"
    app = KopingreportFlask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static",
                instance_path=str(instance))
    settings.load(app, config)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:  # only then are X-Forwarded-For/-Proto believed (rate limits, HSTS)
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies)
    compress.init_app(app)  # first registered, so it runs after every other after_request
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(ROOT / "translations"))
    i18n.init_app(app)
    http.init_app(app)
    errors.init_app(app)
    request_logging.init_app(app)
    assets.init_app(app)
    forms.init_app(app)
    for blueprint in (pages.bp, reports_bp, api_bp, accounts_bp, pwa.bp,
                      registration_bp, admin_bp, moderation_bp, casework_bp,
                      neighbourhood_bp, neighbourhood_admin_bp, nightwalks_bp,
                      nightwalks_admin_bp, surveys_views.bp, surveys_admin.bp,
                      admin_questions.bp, admin_results.bp, surveys_api.bp, walks_views.bp,
                      walks_admin.bp, action_views.bp, situation_views.bp, snapshot_views.bp,
                      doc_views.bp, promise_views.bp, public_views.bp, open311_views.bp,
                      open311_admin.bp, privacy_views.bp, privacy_rights.bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app
