"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import cfp, home, news, ops, people, schedule, site, voting

BLUEPRINTS = [ops.bp, site.bp, home.bp, schedule.bp, people.bp, cfp.bp, news.bp, voting.bp]
