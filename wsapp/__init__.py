"""wsapp: websites for academic workshops."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, hooks."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
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
    from wsapp import audit  # noqa: F401  (registers the change-log session hooks)
    from wsapp.caching import init_cache
    from wsapp.extensions import init_extensions
    from wsapp.services import images

    init_extensions(app)
    init_cache(app)
    images.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from wsapp.blueprints import BLUEPRINTS
    from wsapp.validation import register_converters

    register_converters(app.url_map)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)


def _register_hooks(app: Flask) -> None:
    from wsapp import assets, errors, hooks, i18n, observability, security, validation

    for module in (validation, observability, security, assets, i18n, hooks, errors):
        module.register(app)


def _register_cli(app: Flask) -> None:
    from wsapp.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
