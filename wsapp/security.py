"""Security headers on every response, with a per-request nonce for the Content-Security-Policy."""

import secrets

from flask import Flask, current_app, g

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


def csp_nonce() -> str:
    """The nonce of this response, for the rare <script> that needs one."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    # htmx runs with allowEval and inline indicator styles off (see base.html), so neither
    # 'unsafe-eval' nor 'unsafe-inline' is needed for scripts or styles.
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


def security_headers(config, nonce: str) -> dict[str, str]:
    """The headers every response carries (the page cache sends them with cached pages too)."""
    headers = {
        "Content-Security-Policy": content_security_policy(nonce),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if config["ENV"] == "production":
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return headers


def _headers(response):
    if response.status_code == 304:
        return response  # the cached body keeps the headers (and nonce) it came with
    present = {name.lower() for name in response.headers.keys()}
    for name, value in security_headers(current_app.config, csp_nonce()).items():
        if name.lower() not in present:  # a view's own value stands (Headers.setdefault, once)
            response.headers.add(name, value)
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_headers)
