"""The web layer: HTML pages and a JSON API over the searchsvc library.

``create_app(config=None)`` loads the defaults, then ``SEARCHSVC_*`` environment variables
(``SEARCHSVC_INDEX_DIR=/srv/index``), then the ``config`` dict given by the caller (tests,
``searchsvc serve``). There is no module-level app: run ``searchsvc serve``, or point a WSGI server
at ``web:create_app()``.
"""
from __future__ import annotations

from flask import Flask

from searchsvc import settings

__all__ = ["create_app", "SECURITY_HEADERS"]

# No inline script or style anywhere: every byte of CSS and JavaScript is in web/static/.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

DEFAULTS = {
    "INDEX_DIR": settings.get("index"),
    "CORPUS_DIR": settings.get("corpus"),
    "PER_PAGE": 10,  # search hits per page unless ?per_page=
    "INSTRUMENTS_PER_PAGE": 50,  # rows of /instruments
    "CITING_REPORTS_PER_PAGE": 20,  # citing reports per page of /instruments/<key>
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("SEARCHSVC")
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # Vietnamese stays readable in JSON
    app.json.sort_keys = False

    from . import api, errors, presenters, state, views

    state.init_app(app)
    errors.init_app(app)
    presenters.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
