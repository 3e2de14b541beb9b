"""Anomaly flags (seed 000: "对业务数据出现异常变动的进行跟踪、研究和反馈"): a department whose
monthly volume leaves a band around its trailing mean is listed for follow-up. Plain Python."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import percent

DEFAULT_BAND = Decimal("0.30")
DEFAULT_TRAILING_MONTHS = 3


@dataclass(frozen=True)
class Anomaly:
    department: object
    month: str
    volume: int
    trailing_mean: Decimal
    change: Decimal  # percent against the trailing mean

    @property
    def is_rise(self) -> bool:
        return self.change > 0


def anomalies(monthly: Mapping[object, Sequence[tuple[str, int]]], *, month: str,
              band: Decimal = DEFAULT_BAND,
              trailing: int = DEFAULT_TRAILING_MONTHS) -> list[Anomaly]:
    """Departments whose volume in `month` is more than `band` (a fraction) above or below the
    mean of the `trailing` months before it. `monthly` maps a department to its (month,
    volume) pairs, months as "YYYY-MM" in order; a month without cases counts as 0 when it is
    listed. Departments without a full trailing window or with a mean of 0 are not judged."""
    flagged = []
    for department, series in monthly.items():
        volumes = dict(series)
        months = [m for m, _ in series]
        if month not in volumes:
            continue
        before = [m for m in months if m < month][-trailing:]
        if len(before) < trailing:
            continue
        mean = Decimal(sum(volumes[m] for m in before)) / trailing
        if not mean:
            continue
        current = volumes[month]
        if abs(Decimal(current) - mean) > band * mean:
            flagged.append(Anomaly(department, month, current,
                                   mean.quantize(Decimal("0.1")),
                                   percent(Decimal(current) - mean, mean) or Decimal(0)))
    return sorted(flagged, key=lambda a: (-abs(a.change), str(a.department)))
