"""Building a message: plain text plus HTML from templates/mail/, in the recipient's language."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale

from wsapp import i18n


def language(*choices: str | None) -> i18n.Language:
    """The first of `choices` that is a shipped language, else the request's (or the default)."""
    for choice in choices:
        found = i18n.language(choice)
        if found is not None:
            return found
    return i18n.current()


def site_url() -> str | None:
    """Where links in mail point: WSAPP_SITE_URL, else this request's own address."""
    base = current_app.config.get("SITE_URL")
    if base:
        return base
    return request.host_url.rstrip("/") + request.script_root if has_request_context() else None


def external_url(endpoint: str, _base: str | None = None, **values) -> str:
    """An absolute link for a message: from WSAPP_SITE_URL when set, never from a Host header
    alone when it is (a forged Host must not end up in a reset link). `_base` is a site_url()
    taken in a request, for a link made after it."""
    if endpoint.startswith("."):
        raise ValueError(f"external_url needs the full endpoint name, not {endpoint!r}")
    base = current_app.config.get("SITE_URL") or _base
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def render(template: str, lang: i18n.Language, subject, **context) -> EmailMessage:
    """The message of templates/mail/<template>.txt and .html; `subject` is called in `lang`."""
    env = current_app.jinja_env
    site = current_app.config["SITE_NAME"]
    with force_locale(lang.locale):
        context = {"site_name": site, "lang": lang, **context}
        # one line: a title typed with a line break must not break (or inject) a header
        subject_text = " ".join(str(subject()).split())
        text = env.get_template(f"mail/{template}.txt").render(subject=subject_text, **context)
        html = env.get_template(f"mail/{template}.html").render(subject=subject_text, **context)
    message = EmailMessage()
    sender = current_app.config["MAIL_FROM"]
    message["From"] = sender
    message["Subject"] = subject_text
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang.tag  # after the body: set_content drops Content-*
    return message
