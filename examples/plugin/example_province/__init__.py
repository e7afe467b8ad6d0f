"""EXAMPLE plugin for subsidy-ledger: one made-up program, ``example.training_allowance``.

Nothing here is a real policy. The package shows how another province's programs ship
as their own package: a calculator class registered under the ``subsidies.calculators``
entry-point group (see ``pyproject.toml``) and its parameter file shipped as package data.
"""
