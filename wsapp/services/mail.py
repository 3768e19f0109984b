"""The one place where the app sends e-mail.

No mail server is needed: an admin copies the invitation link shown on the access page. To send
invitations by mail, replace the body of `send_invitation` (for example with smtplib or a
provider's API, reading its settings from current_app.config); every caller goes through here.
"""

import logging

log = logging.getLogger(__name__)


def send_invitation(email: str, url: str, workshop_title: str, expires_text: str) -> bool:
    """Deliver an invitation link; returns True if it was sent. By default it only logs."""
    log.info(
        "invitation for %s to organize %s (expires %s): not mailed",
        email,
        workshop_title,
        expires_text,
    )
    return False
