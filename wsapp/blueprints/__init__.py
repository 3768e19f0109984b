"""Every blueprint of the app, in registration order."""

from wsapp.blueprints import (
    account,
    auth,
    cfp,
    exports,
    home,
    media,
    news,
    ops,
    papers,
    password,
    people,
    schedule,
    site,
    voting,
    zones,
)
from wsapp.blueprints.manage import access as manage_access
from wsapp.blueprints.manage import accounts as manage_accounts
from wsapp.blueprints.manage import dashboard as manage
from wsapp.blueprints.manage import history as manage_history
from wsapp.blueprints.manage import items as manage_items
from wsapp.blueprints.manage import people as manage_people
from wsapp.blueprints.manage import series as manage_series
from wsapp.blueprints.manage import voting as manage_voting
from wsapp.blueprints.manage import voting_results as manage_voting_results

BLUEPRINTS = [
    ops.bp,
    site.bp,
    media.bp,
    auth.bp,
    password.bp,
    account.bp,
    manage.bp,
    manage_access.bp,
    manage_accounts.bp,
    manage_history.bp,
    manage_items.bp,
    manage_people.bp,
    manage_series.bp,
    manage_voting.bp,
    manage_voting_results.bp,
    home.bp,
    schedule.bp,
    papers.bp,
    people.bp,
    cfp.bp,
    zones.bp,
    news.bp,
    exports.bp,
    voting.bp,
]
