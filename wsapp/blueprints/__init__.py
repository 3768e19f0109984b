"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import cfp, exports, home, news, people, schedule, site

BLUEPRINTS = [site.bp, home.bp, schedule.bp, people.bp, cfp.bp, news.bp, exports.bp]
