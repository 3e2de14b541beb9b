"""The figures of the center's work reports (seed 000, 深圳市行政服务大厅 annual reports), as
plain Python over rollup rows: no Django import, so every rate and rounding is tested without
a database.

Rates are percentages rounded half-up to two decimals and printed without trailing zeros, as
the reports print them ("按期办结率100%", "提前办结率41.55%", "8.4%"); counts per day are
rounded half-up to whole cases ("日均业务受理量4348件")."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .contributions import COUNTERS

Row = Mapping[str, Any]


def totals(rows: Iterable[Row]) -> Counter:
    """The counters of `rows` summed."""
    total: Counter = Counter(dict.fromkeys(COUNTERS, 0))
    for row in rows:
        for name in COUNTERS:
            total[name] += int(row.get(name) or 0)
    return total


def percent(part: int | float | Decimal, whole: int | float | Decimal) -> Decimal | None:
    """`part` of `whole` in percent, two decimals, half-up; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def growth(current: int, previous: int | None) -> Decimal | None:
    """Growth over `previous` in percent (negative for a fall); None without a base."""
    if not previous:
        return None
    return percent(current - previous, previous)


def per_day(count: int, working_days: int) -> int | None:
    if not working_days:
        return None
    return int((Decimal(count) / working_days).quantize(Decimal("1"), ROUND_HALF_UP))


def ratio(part: int, whole: int, places: str = "0.01") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


def fmt(value: Decimal | int | None) -> str:
    """A figure as the reports print it: no trailing zeros, "—" when there is none."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Figures:
    """The figures of one period."""

    received: int
    accepted: int
    completed: int
    working_days: int
    daily_average: int | None
    on_time: int
    on_time_rate: Decimal | None
    early: int
    early_rate: Decimal | None
    overdue: int
    immediate: int
    immediate_share: Decimal | None
    supplement: int
    supplement_rate: Decimal | None
    returned: int
    return_rate: Decimal | None
    pending: int
    average_promised_days: Decimal | None
    average_used_days: Decimal | None
    speed_up: Decimal | None
    average_legal_days: Decimal | None
    compression: Decimal | None
    visits_per_case: Decimal | None
    yoy_growth: Decimal | None = None
    mom_growth: Decimal | None = None
    previous_year_accepted: int | None = None
    by_channel: dict[str, int] = field(default_factory=dict)


def figures(total: Mapping[str, int], *, working_days: int, pending: int = 0,
            previous_year: Mapping[str, int] | None = None,
            previous_period: Mapping[str, int] | None = None,
            by_channel: Mapping[str, int] | None = None) -> Figures:
    """The figures of a period from its summed counters. On-time and early rates are shares of
    the cases completed in the period; the immediate share and the supplement rate are shares
    of the cases accepted; the return rate a share of the applications received. Speed-up is
    how much faster than promised the cases were completed; compression how much shorter the
    promised limit is than the legal one."""
    t = Counter(total)
    promised, used, legal = t["promised_days"], t["used_days"], t["legal_days"]
    prev_year = previous_year["accepted"] if previous_year else None
    return Figures(
        received=t["received"], accepted=t["accepted"], completed=t["completed"],
        working_days=working_days, daily_average=per_day(t["accepted"], working_days),
        on_time=t["on_time"], on_time_rate=percent(t["on_time"], t["completed"]),
        early=t["early"], early_rate=percent(t["early"], t["completed"]),
        overdue=t["overdue"],
        immediate=t["immediate"], immediate_share=percent(t["immediate"], t["accepted"]),
        supplement=t["supplement"], supplement_rate=percent(t["supplement"], t["accepted"]),
        returned=t["returned"], return_rate=percent(t["returned"], t["received"]),
        pending=pending,
        average_promised_days=ratio(promised, t["limit_cases"]),
        average_used_days=ratio(used, t["limit_cases"]),
        speed_up=percent(promised - used, promised),
        average_legal_days=ratio(legal, t["limit_cases"]),
        compression=percent(legal - promised, legal),
        visits_per_case=ratio(t["visits"], t["completed"]),
        yoy_growth=growth(t["accepted"], prev_year),
        mom_growth=growth(t["accepted"], previous_period["accepted"] if previous_period else None),
        previous_year_accepted=prev_year,
        by_channel=dict(by_channel or {}),
    )


def ranking(rows: Iterable[Row], *, by: str, counter: str = "accepted",
            limit: int | None = 10) -> list[tuple[object, int]]:
    """The largest `counter` sums grouped by the `by` field, largest first (ties by key)."""
    sums: Counter = Counter()
    for row in rows:
        sums[row[by]] += int(row.get(counter) or 0)
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return ordered[:limit] if limit else ordered


def grouped(rows: Iterable[Row], *, by: str) -> dict[object, Counter]:
    """The rows' counters summed per value of `by`."""
    groups: dict[object, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[by]].append(row)
    return {key: totals(group) for key, group in groups.items()}


def _growth_phrase(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value < 0:
        return f",同比下降{fmt(-value)}%"
    return f",同比增长{fmt(value)}%"


def annual_paragraph(year: int | str, f: Figures, *, items_total: int | None = None,
                     immediate_items: int | None = None) -> str:
    """The opening paragraph of the annual report, in the words of seed 000:
    "20xx年,大厅业务受理总量为1086936件,同比增长3.12%,日均业务受理量4348件,按期办结率100%,
    提前办结451672件,提前办结率41.55%。在大厅办理的582项行政审批服务事项中,即办事项76项。
    20xx年合计受理即办件577962件,占业务总量的53.17%。" A month or quarter passes its label,
    e.g. "2026年第3季度"."""
    label = str(year) if "年" in str(year) else f"{year}年"  # "2026", or "2026年第3季度"
    text = (f"{label},大厅业务受理总量为{f.accepted}件{_growth_phrase(f.yoy_growth)},"
            f"日均业务受理量{fmt(f.daily_average)}件,按期办结率{fmt(f.on_time_rate)}%,"
            f"提前办结{f.early}件,提前办结率{fmt(f.early_rate)}%。")
    if items_total is not None and immediate_items is not None:
        text += f"在大厅办理的{items_total}项行政审批服务事项中,即办事项{immediate_items}项。"
    text += f"{label}合计受理即办件{f.immediate}件,占业务总量的{fmt(f.immediate_share)}%。"
    return text


# Channels of the online hall: applications made online, or pushed by another online
# platform through the API; neither is made at a window.
ONLINE_CHANNELS = frozenset({"online", "api"})


@dataclass(frozen=True)
class OnlineFigures:
    """The online hall's figures of one period, as seed 002 (清城区 2016) reports them:
    "行政审批事项网上全流程办理率达75.94%;上网办理率78.79%,网上办结率66.39%,76.53%网上申办事项到
    现场办理次数不超过1次,12.03%网上申办事项实现零次跑动"."""

    received: int
    received_online: int
    completed_online: int
    completed_online_zero_visits: int
    completed_online_one_visit_at_most: int
    items: int
    items_fully_online: int
    full_online_rate: Decimal | None
    online_rate: Decimal | None
    online_completion_rate: Decimal | None
    one_visit_at_most_share: Decimal | None
    zero_visit_share: Decimal | None
    all_one_visit_at_most_share: Decimal | None
    all_zero_visit_share: Decimal | None


def online_figures(by_channel: Mapping[str, Mapping[str, int]], *, items: int,
                   items_fully_online: int) -> OnlineFigures:
    """The online hall's rates from the period's counters summed per intake channel and the
    count of the hall's items:

    - 网上全流程办理率 (fully online items): the share of the hall's 行政审批事项 that can be
      handled online from application to result (online depth level 4, 全程网办);
    - 上网办理率 (online application rate): the share of the applications received in the period
      that were made online (channel online or API), not at a window;
    - 网上办结率 (online completion rate): online applications completed in the period, as a share
      of the online applications received in the period;
    - 网上申办事项到现场办理次数不超过1次 (最多跑一次): of the online applications completed in the
      period, the share that needed at most one visit to the hall;
    - 网上申办事项实现零次跑动 (零跑动): of the online applications completed in the period, the
      share that needed no visit at all.

    The last two are also given over every completed case, whatever its channel."""
    online = totals(c for ch, c in by_channel.items() if ch in ONLINE_CHANNELS)
    every = totals(by_channel.values())
    return OnlineFigures(
        received=every["received"], received_online=online["received"],
        completed_online=online["completed"],
        completed_online_zero_visits=online["zero_visits"],
        completed_online_one_visit_at_most=online["one_visit_at_most"],
        items=items, items_fully_online=items_fully_online,
        full_online_rate=percent(items_fully_online, items),
        online_rate=percent(online["received"], every["received"]),
        online_completion_rate=percent(online["completed"], online["received"]),
        one_visit_at_most_share=percent(online["one_visit_at_most"], online["completed"]),
        zero_visit_share=percent(online["zero_visits"], online["completed"]),
        all_one_visit_at_most_share=percent(every["one_visit_at_most"], every["completed"]),
        all_zero_visit_share=percent(every["zero_visits"], every["completed"]),
    )
