"""The ``subsidies`` command."""

from __future__ import annotations

import codecs
import sys

import click

from subsidies.cli import batch, brand, calc, demo, ledger, payout, reconcile, report, serve
from subsidies.cli.language import translate_commands, use_for_click


class Subsidies(click.Group):
    """The command group, answering in the officer's language (:mod:`subsidies.cli.language`)."""

    def main(self, *args, **kwargs):
        use_for_click()
        translate_commands(self)
        return super().main(*args, **kwargs)


@click.group(cls=Subsidies, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="subsidy-ledger")
def main() -> None:
    """Labour-brand (劳务品牌) subsidies from employment subsidy funds (就业补助资金)."""
    _never_fail_on_a_character()


def _never_fail_on_a_character() -> None:
    """A console or file in a legacy encoding (a Chinese Windows console is GBK, code page 936)
    cannot show every name: 䶮 or "−" would stop the command with a UnicodeEncodeError. On
    such a stream a character it cannot hold is written as "?" instead; UTF-8 streams are
    left as they are."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        if codecs.lookup(encoding).name.startswith("utf") or not hasattr(stream, "reconfigure"):
            continue
        stream.reconfigure(errors="replace")


calc.register(main)
ledger.register(main)
batch.register(main)
payout.register(main)
brand.register(main)
reconcile.register(main)
report.register(main)
demo.register(main)
serve.register(main)
