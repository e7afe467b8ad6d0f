"""Claims for qinghai.goji_broker: brokers' workers picking goji, from the program's home
province, destination prefecture and places, picking months and working age in force."""

from __future__ import annotations

import numpy as np

from calculators.programs.qinghai.goji_broker import destination_on
from subsidies.demo.synthetic import places
from subsidies.demo.synthetic.draft import DAY, Draft, days, plus_months
from subsidies.demo.synthetic.programs.base import Condition, ProgramClaims, no
from subsidies.domain.places import Prefecture, province_name


class GojiClaims(ProgramClaims):
    code = "QH-GQ"
    repeat_label = "the same worker in an overlapping picking period"

    def fill(self, d: Draft) -> None:
        n, g = d.n, d.g
        home = d.value("home_province")
        start = d.dates(d.day(5, 15), _latest_start(d, d.day(7, 20)), n)
        k = max(3, n // 25)
        brokers, broker_ids = d.people(
            k, places.codes(places.REGIONS[home]), start.min(), 28, 60, tibetan=0.1
        )
        which = g.integers(0, k, n)
        d.cols["broker_name"], d.cols["broker_id"] = brokers[which], broker_ids[which]
        age = d.value("minimum_working_age")
        names, ids = d.people(n, _farming(home), start, max(age, 18), 58, tibetan=0.2)
        d.cols["worker_name"], d.cols["worker_id"] = names, ids
        d.cols["worker_hukou"] = d.pick(places.spellings(home), n, p=(0.45, 0.45, 0.10))
        d.cols["farmer_herder"] = np.ones(n, dtype=bool)
        d.cols["destination"] = d.pick(_inside(_prefecture(d)), n)
        d.cols["start_date"] = start
        d.cols["end_date"] = self._end(d, start, d.ints(*_months(d), n))
        d.cols["worker_group"] = d.pick(
            d.choices("worker_group"), n, p=_shares(d.choices("worker_group"))
        )

    @staticmethod
    def _end(d: Draft, start, months) -> np.ndarray:
        """End dates ``months`` and up to 25 days after ``start`` (so within the months the
        program pays for), or just the least months where that would leave the year."""
        start = np.atleast_1d(np.asarray(start, dtype="datetime64[D]"))
        end = plus_months(start, months) - DAY + days(d.ints(0, 25, len(start)))
        return np.where(end <= d.last, end, plus_months(start, _months(d)[0]) - DAY)

    def conditions(self, d: Draft) -> tuple[Condition, ...]:
        home, age = d.value("home_province"), d.value("minimum_working_age")
        least, most = _months(d)
        most += 1  # 不足 most months
        prefecture = _prefecture(d)
        outside = [c for c in places.SOMEWHERE_IN.get(home, ()) if not prefecture.contains(c)]

        def hukou(d, rows):
            other = places.other_province(home)
            start = d.cols["start_date"][rows]
            names, ids = d.people(len(rows), places.codes(places.REGIONS[other]), start, 18, 58)
            d.put("worker_name", rows, names)
            d.put("worker_id", rows, ids)
            d.put("worker_hukou", rows, d.pick(places.spellings(other), len(rows)))

        def short(d, rows):  # one day short of the least months
            d.put("end_date", rows, plus_months(d.cols["start_date"][rows], least) - 2 * DAY)

        def too_long(d, rows):
            start = d.dates(d.day(5, 15), _latest_start(d, d.day(7, 1), most), len(rows))
            d.put("start_date", rows, start)
            d.put("end_date", rows, plus_months(start, most) - DAY)

        def under_age(d, rows):
            start = d.cols["start_date"][rows]
            names, ids = d.people(len(rows), _farming(home), start, age - 2, age)
            d.put("worker_name", rows, names)
            d.put("worker_id", rows, ids)

        def elsewhere(d, rows):
            d.put("destination", rows, d.pick(outside, len(rows)))

        shortest = min(prefecture.names, key=len)
        return (
            (f"户籍 not {province_name(home)}", hukou),
            ("not a farmer or herder (农牧民 否)", no("farmer_herder")),
            *([(f"destination outside {shortest}", elsewhere)] if outside else []),
            (f"one day short of {least} months", short),
            (f"exactly {most} months (not 不足{most}个月)", too_long),
            (f"worker under {age} on start_date", under_age),
        )

    def repeat(self, d: Draft, i: int, src: dict) -> None:
        self._repeat(d, np.array([i]), {name: np.array([src[name]]) for name in WORKER})

    def repeat_rows(self, d: Draft, rows: np.ndarray, sources: np.ndarray) -> None:
        self._repeat(d, rows, {name: d.cols[name][sources] for name in WORKER})

    def _repeat(self, d: Draft, rows: np.ndarray, src: dict[str, np.ndarray]) -> None:
        """The same workers again, picking from up to 20 days after their first start (an
        overlapping period)."""
        for name in ("worker_name", "worker_id", "worker_hukou"):
            d.put(name, rows, src[name])
        start = src["start_date"].astype("datetime64[D]") + days(d.ints(0, 20, len(rows)))
        d.put("start_date", rows, start)
        d.put("end_date", rows, self._end(d, start, _months(d)[0]))


WORKER = ("worker_name", "worker_id", "worker_hukou", "start_date")


def _months(d: Draft) -> tuple[int, int]:
    """The whole months a paid picking period may last: 2 to 5 for 2个月以上不足6个月."""
    return d.value("min_months"), d.value("max_months_exclusive") - 1


def _latest_start(d: Draft, usual, months: int | None = None) -> np.datetime64:
    """``usual``, or earlier if a period of ``months`` (the most paid) would leave the year."""
    months = (_months(d)[1] + 1) if months is None else months
    return min(usual, plus_months(d.last + DAY, -months))


def _prefecture(d: Draft) -> Prefecture:
    return destination_on(d.program, d.last.item())


def _inside(prefecture: Prefecture) -> tuple[str, ...]:
    """How officers write the picking grounds: the prefecture, a place in it, the province
    before the prefecture."""
    written = (
        *prefecture.names,
        *prefecture.places,
        *(prefecture.province + "省" + name for name in prefecture.names[-2:]),
    )
    return tuple(w for w in written if prefecture.contains(w))


def _farming(province: str) -> tuple[str, ...]:
    """Counties farmers and herders come from (all the province's, outside Qinghai)."""
    if province == "63":
        return places.QINGHAI_FARMING
    return places.codes(places.REGIONS[province])


def _shares(groups: tuple[str, ...]) -> list[float]:
    """Most workers in a listed group, nearly half 其他."""
    weights = [0.45 if g == "other" else 0.55 / max(len(groups) - 1, 1) for g in groups]
    return [w / sum(weights) for w in weights]
