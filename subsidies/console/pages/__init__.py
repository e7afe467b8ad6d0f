"""Every page of the console, one module per menu item; ``PAGES`` lists their routes."""

from __future__ import annotations

from subsidies.console.pages import (
    admin,
    audit,
    batches,
    claims,
    home,
    jobs,
    payouts,
    programs,
    reconcile,
    reports,
    search,
)

PAGES = [
    page
    for module in (
        home,
        programs,
        claims,
        jobs,
        batches,
        payouts,
        reconcile,
        search,
        reports,
        audit,
        admin,
    )
    for page in module.PAGES
]
