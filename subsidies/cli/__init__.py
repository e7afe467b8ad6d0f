"""The ``subsidies`` command."""

from __future__ import annotations

import click

from subsidies.cli import batch, brand, calc, demo, ledger, payout, reconcile, report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="subsidy-ledger")
def main() -> None:
    """Labour-brand (劳务品牌) subsidies from employment subsidy funds (就业补助资金)."""


calc.register(main)
ledger.register(main)
batch.register(main)
payout.register(main)
brand.register(main)
reconcile.register(main)
report.register(main)
demo.register(main)
