"""The product's vocabulary: money in fen, 身份证号 and 统一社会信用代码, periods and working
days, provinces and places, and the wording of counts.

A leaf package: it imports nothing else of this project, so calculators, ledgers and
reports may all stand on it (the import contract in ``pyproject.toml`` holds this).
"""
