"""WSAPP_MAIL_URL: where mail goes, as one URL.

    smtp://host                       port 25, no encryption (a relay on the same host or network)
    smtp://user:pass@host:587/?starttls=1   submission with STARTTLS (most providers)
    smtps://user:pass@host            port 465, TLS from the first byte

Options in the query: `starttls=1`, `timeout=SECONDS` (default 10), `cafile=PATH` (a CA bundle
for a server with a private certificate). User and password are percent-decoded, so a password
with `@` or `/` is written `%40`, `%2F`. Credentials are refused without TLS except to a server
on this host: they would cross the network in clear.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEMES = {"smtp": 25, "smtps": 465}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class MailConfigError(ValueError):
    """WSAPP_MAIL_URL cannot be used; the message says why (without the password)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # "tls" (smtps), "starttls" or "none"
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0
    cafile: str | None = None

    @classmethod
    def parse(cls, url: str) -> "MailSettings":
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise MailConfigError(f"WSAPP_MAIL_URL is not a valid URL: {exc}") from None
        if parts.scheme not in SCHEMES:
            raise MailConfigError(
                f"WSAPP_MAIL_URL must start with smtp:// or smtps://, not {parts.scheme!r}"
            )
        if not parts.hostname:
            raise MailConfigError("WSAPP_MAIL_URL names no host")
        options = _options(parts.query)
        starttls = options.pop("starttls", False)
        timeout = options.pop("timeout", 10.0)
        cafile = options.pop("cafile", None)
        if options:
            raise MailConfigError(f"WSAPP_MAIL_URL: unknown option {sorted(options)[0]!r}")
        if parts.scheme == "smtps" and starttls:
            raise MailConfigError("WSAPP_MAIL_URL: smtps:// is TLS already; drop starttls=1")
        security = "tls" if parts.scheme == "smtps" else "starttls" if starttls else "none"
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        if username and security == "none" and parts.hostname not in LOCAL_HOSTS:
            raise MailConfigError(
                "WSAPP_MAIL_URL: a user and password need TLS (add ?starttls=1 or use smtps://)"
            )
        default_port = 587 if security == "starttls" else SCHEMES[parts.scheme]
        return cls(
            host=parts.hostname,
            port=port or default_port,
            security=security,
            username=username,
            password=password,
            timeout=timeout,
            cafile=cafile,
        )

    def describe(self) -> str:
        """Where mail goes, for the admin: no user name, no password."""
        security = {"tls": "TLS", "starttls": "STARTTLS", "none": "unencrypted"}[self.security]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port} ({security})"


def _options(query: str) -> dict:
    options: dict = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "starttls":
            if value.lower() not in TRUE | FALSE:
                raise MailConfigError(f"WSAPP_MAIL_URL: starttls={value!r} is not 1 or 0")
            options[key] = value.lower() in TRUE
        elif key == "timeout":
            try:
                options[key] = float(value)
            except ValueError:
                raise MailConfigError(
                    f"WSAPP_MAIL_URL: timeout={value!r} is not a number"
                ) from None
            if not 0 < options[key] <= 300:
                raise MailConfigError("WSAPP_MAIL_URL: timeout must be between 0 and 300 seconds")
        else:
            options[key] = value
    return options
