"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import (
    auth,
    cfp,
    home,
    manage,
    manage_access,
    manage_history,
    manage_items,
    news,
    people,
    schedule,
    site,
)

BLUEPRINTS = [site.bp, auth.bp, manage.bp, manage_access.bp, manage_history.bp, manage_items.bp,
              home.bp, schedule.bp, people.bp, cfp.bp, news.bp]
