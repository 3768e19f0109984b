"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import cfp, exports, home, media, news, ops, people, schedule, site

BLUEPRINTS = [
    ops.bp,
    site.bp,
    media.bp,
    home.bp,
    schedule.bp,
    people.bp,
    cfp.bp,
    news.bp,
    exports.bp,
]
