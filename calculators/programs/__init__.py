"""The built-in programs: one module per program, named by its id, beside its parameters.

``qinghai.goji_broker`` is ``qinghai/goji_broker.py`` (the rule: template, ``assess``,
plan pricing) and ``qinghai/goji_broker.yaml`` (every amount, threshold and list, dated,
with the article and quoted sentence). Each registers under the ``subsidies.calculators``
entry-point group in ``pyproject.toml``, exactly as a plugin package does.
"""
