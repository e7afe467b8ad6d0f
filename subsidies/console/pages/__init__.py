"""Every page of the console, one module per menu item; ``PAGES`` lists their routes."""

from __future__ import annotations

from subsidies.console.pages import (
    admin,
    audit,
    batches,
    brands,
    cashier,
    claims,
    closing,
    home,
    jobs,
    office,
    officers,
    payouts,
    programs,
    reconcile,
    recoveries,
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
        brands,
        cashier,
        recoveries,
        closing,
        officers,
        office,
    )
    for page in module.PAGES
]
