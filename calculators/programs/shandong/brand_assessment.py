"""山东 特色劳务品牌认定标准 (no money).

鲁就办〔2021〕22号 二(二).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from calculators.base import Assessment, Calculator, Checks
from calculators.common import CREDIT_CODE, UNIT_NAME, text
from calculators.parameters import BoundParameters
from calculators.standards import count_column
from calculators.template import Template
from subsidies.domain.i18n import _, fill


class ShandongAssessment(Calculator):
    program_id = "shandong.brand_assessment"
    template = Template(
        (
            UNIT_NAME,
            CREDIT_CODE,
            count_column("trained_per_year", "年培训人数", "每年培训人数"),
            count_column("placed_per_year", "年自用或输出人数", "每年自用或输出人数"),
        )
    )

    def assess(self, claims: pd.DataFrame, params: BoundParameters) -> Assessment:
        checks = Checks(claims.index)
        trained = claims["trained_per_year"].to_numpy(dtype=np.int64)
        placed = claims["placed_per_year"].to_numpy(dtype=np.int64)
        min_trained, min_placed = (
            params.values("min_trained_per_year"),
            params.values("min_placed_per_year"),
        )
        checks.check(
            fill(
                _("trained {trained} a year ≥ {least}"),
                trained=text(trained),
                least=text(min_trained),
            ),
            trained >= min_trained,
        )
        checks.check(
            fill(
                _("placed {placed} a year ≥ {least}"), placed=text(placed), least=text(min_placed)
            ),
            placed >= min_placed,
        )
        return Assessment(
            checks, np.zeros(len(claims), dtype=np.int64), params.citation("min_trained_per_year")
        )
