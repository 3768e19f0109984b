"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import (
    auth,
    cfp,
    exports,
    home,
    manage,
    manage_access,
    manage_history,
    manage_items,
    media,
    news,
    ops,
    people,
    schedule,
    site,
    voting,
)

BLUEPRINTS = [
    ops.bp,
    site.bp,
    media.bp,
    auth.bp,
    manage.bp,
    manage_access.bp,
    manage_history.bp,
    manage_items.bp,
    home.bp,
    schedule.bp,
    people.bp,
    cfp.bp,
    news.bp,
    exports.bp,
    voting.bp,
]
