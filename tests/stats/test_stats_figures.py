"""The figures and the annual paragraph, without a database; the reference is seed 000."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from servicehall.stats.anomalies import anomalies
from servicehall.stats.figures import annual_paragraph, figures, fmt, percent, ranking, totals

SEED = Path("/work/shared/seeds/000_d391dad52304b26d.txt")
SEED_SENTENCE = re.compile(
    r"20xx年,大厅业务受理总量为(\d+)件,同比增长([\d.]+)%,日均业务受理量(\d+)件,按期办结率"
    r"([\d.]+)%,提前办结(\d+)件,提前办结率([\d.]+)%。在大厅办理的(\d+)项行政审批服务事项中,"
    r"即办事项(\d+)项。20xx年合计受理即办件(\d+)件,占业务总量的([\d.]+)%。")
# What seed 000 states, should the seed file not be at hand.
SEED_PARAGRAPH = ("20xx年,大厅业务受理总量为1086936件,同比增长3.12%,日均业务受理量4348件,按期办结率"
                  "100%,提前办结451672件,提前办结率41.55%。在大厅办理的582项行政审批服务事项中,即办事项"
                  "76项。20xx年合计受理即办件577962件,占业务总量的53.17%。")


def _seed_paragraph() -> str:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else SEED_PARAGRAPH
    return SEED_SENTENCE.search(text).group(0)


def test_annual_paragraph_prints_the_figures_of_seed_000_from_its_counts():
    paragraph = _seed_paragraph()
    (accepted, _growth, _daily, _on_time, early, _early_rate, items, immediate_items,
     immediate, _share) = SEED_SENTENCE.match(paragraph).groups()
    accepted, early, immediate = int(accepted), int(early), int(immediate)
    # The counts behind the rates: every case completed on time; 250 working days in the year
    # (2012's official calendar); the year before, 1,054,049 cases (→ +3.12%).
    current = {"accepted": accepted, "completed": accepted, "on_time": accepted,
               "early": early, "immediate": immediate}
    f = figures(totals([current]), working_days=250, previous_year={"accepted": 1054049})
    assert annual_paragraph("20xx", f, items_total=int(items),
                            immediate_items=int(immediate_items)) == paragraph


def test_rates_round_half_up_to_two_decimals_and_print_without_trailing_zeros():
    assert percent(451672, 1086936) == Decimal("41.55")
    assert percent(1, 8) == Decimal("12.50")
    assert fmt(percent(1, 8)) == "12.5"
    assert fmt(percent(5, 5)) == "100"
    assert percent(1, 0) is None and fmt(None) == "—"


def test_daily_average_divides_by_working_days_not_calendar_days():
    f = figures({"accepted": 1086936}, working_days=250)
    assert f.daily_average == 4348
    assert figures({"accepted": 10}, working_days=0).daily_average is None


def test_a_fall_reads_as_a_decrease():
    f = figures({"accepted": 90, "completed": 90, "on_time": 90}, working_days=10,
                previous_year={"accepted": 100})
    assert f.yoy_growth == Decimal("-10.00")
    assert "同比下降10%" in annual_paragraph(2026, f)


def test_speed_up_and_compression_compare_working_days():
    f = figures({"completed": 2, "limit_cases": 2, "promised_days": 20, "used_days": 12,
                 "legal_days": 40}, working_days=1)
    assert f.average_promised_days == Decimal("10.00")
    assert f.average_used_days == Decimal("6.00")
    assert f.speed_up == Decimal("40.00")
    assert f.compression == Decimal("50.00")


def test_supplement_return_and_visit_rates():
    f = figures({"received": 10, "accepted": 8, "returned": 2, "supplement": 2, "completed": 4,
                 "visits": 6}, working_days=1)
    assert (f.return_rate, f.supplement_rate, f.visits_per_case) == (
        Decimal("20.00"), Decimal("25.00"), Decimal("1.50"))


def test_month_on_month_growth_compares_the_period_before():
    f = figures({"accepted": 110}, working_days=20, previous_period={"accepted": 100})
    assert f.mom_growth == Decimal("10.00")


def test_top_ten_ranks_by_volume_and_keeps_ten():
    rows = [{"department": f"d{i}", "accepted": i} for i in range(15)]
    top = ranking(rows, by="department")
    assert len(top) == 10 and top[0] == ("d14", 14) and top[-1] == ("d5", 5)


@pytest.mark.parametrize(("volume", "flagged"), [(100, False), (129, False), (131, True),
                                                 (69, True), (71, False)])
def test_a_department_leaving_the_band_around_its_trailing_mean_is_flagged(volume, flagged):
    series = {"市场监管局": [("2026-01", 90), ("2026-02", 100), ("2026-03", 110),
                        ("2026-04", volume)]}
    found = anomalies(series, month="2026-04")
    assert bool(found) is flagged
    if flagged:
        assert found[0].department == "市场监管局" and found[0].is_rise is (volume > 100)


def test_no_flag_without_a_full_trailing_window():
    assert anomalies({"d": [("2026-03", 10), ("2026-04", 100)]}, month="2026-04") == []


def test_periods_name_themselves_and_know_their_comparisons():
    from datetime import date

    from servicehall.stats.periods import Period

    q = Period.quarter(2026, 1)
    assert (q.start, q.end, q.label) == (date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度")
    assert q.previous() == Period.quarter(2025, 4)
    assert Period.month(2024, 2).year_before() == Period.month(2023, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.month(2026, 12).end == date(2026, 12, 31)
    assert Period.year(2026).months()[-1] == "2026-12"


# ---- the online hall (seed 002) ------------------------------------------------------------

def test_the_online_hall_rates_reproduce_seed_002():
    """570 items (the seed's count), 433 of them fully online; 10,000 applications of which
    7,879 online or over the API (78.79%, as the seed); 6,639 online ones completed (84.26% of
    those received); of them 5,081 needed at most one visit (76.53%) and 799 none (12.03%),
    the seed's two shares."""
    from servicehall.stats.figures import online_figures

    channels = {
        "window": {"received": 2121, "completed": 2000, "zero_visits": 0,
                   "one_visit_at_most": 1700},
        "online": {"received": 7700, "completed": 6500, "zero_visits": 780,
                   "one_visit_at_most": 4975},
        "api": {"received": 179, "completed": 139, "zero_visits": 19,
                "one_visit_at_most": 106},
    }
    o = online_figures(channels, items=570, items_fully_online=433)
    assert (o.received, o.received_online, o.completed_online) == (10000, 7879, 6639)
    assert fmt(o.full_online_rate) == "75.96"
    assert fmt(o.online_rate) == "78.79"
    assert fmt(o.online_completion_rate) == "84.26"
    assert fmt(o.one_visit_at_most_share) == "76.53"
    assert fmt(o.zero_visit_share) == "12.03"
    assert fmt(o.all_one_visit_at_most_share) == "78.49"  # (1700 + 5081) / 8639
    assert fmt(o.all_zero_visit_share) == "9.25"  # 799 / 8639


def test_online_rates_without_a_base_are_none_not_zero():
    from servicehall.stats.figures import online_figures

    o = online_figures({"window": {"received": 3, "completed": 0}}, items=0,
                       items_fully_online=0)
    assert o.online_rate == 0 and o.received_online == 0
    assert o.full_online_rate is None and o.online_completion_rate is None
    assert o.zero_visit_share is None and o.all_zero_visit_share is None
    assert fmt(o.one_visit_at_most_share) == "—"


def test_only_online_and_api_applications_count_as_online():
    from servicehall.stats.figures import ONLINE_CHANNELS

    assert {"online", "api"} == ONLINE_CHANNELS
