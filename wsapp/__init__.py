"""wsapp: websites for academic workshops."""

from pathlib import Path

from flask import Flask

from wsapp.resources import folder


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, hooks."""
    app = Flask(
        __name__,
        template_folder=str(folder("templates")),
        static_folder=str(folder("static")),
        instance_relative_config=True,
    )
    _load_config(app, test_config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_cli(app)
    _trust_proxy(app)
    return app


def _trust_proxy(app: Flask) -> None:
    """Behind N reverse proxies (WSAPP_PROXY_COUNT), trust their X-Forwarded-* headers."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _load_config(app: Flask, test_config: dict | None) -> None:
    from wsapp import config

    config.load(app, test_config)


def _init_extensions(app: Flask) -> None:
    from wsapp import audit, permissions
    from wsapp.caching import init_cache
    from wsapp.extensions import init_extensions
    from wsapp.models import events
    from wsapp.services import images, mail, ratelimit

    init_extensions(app)
    _init_babel(app)
    ratelimit.init_app(app)
    events.listen()
    audit.init_app(app)
    permissions.init_login()
    init_cache(app)
    mail.init_app(app)
    images.init_app(app)


def _init_babel(app: Flask) -> None:
    """The request's language (wsapp.i18n) and display zone (wsapp.timezones) for Flask-Babel."""
    from wsapp import i18n
    from wsapp.extensions import babel
    from wsapp.timezones import display

    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=display.select_timezone,
        default_translation_directories=str(Path(app.root_path) / "translations"),
    )


def _register_blueprints(app: Flask) -> None:
    from wsapp.blueprints import BLUEPRINTS, voting_express
    from wsapp.validation import register_converters

    register_converters(app.url_map)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    voting_express.install(app)


def _register_hooks(app: Flask) -> None:
    """Request and response hooks. Response hooks run last-registered first: the page cache
    stores a response after every hook that sets its headers and cookies; compression (an
    extension, registered earlier) runs after it. tests/test_wiring.py pins the order."""
    from wsapp import assets, caching, errors, hooks, i18n, observability, security, validation

    for module in (caching, validation, observability, security, assets, i18n, hooks, errors):
        module.register(app)


def _register_cli(app: Flask) -> None:
    from wsapp.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
