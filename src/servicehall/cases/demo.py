"""The demo hall's year of cases (issue 3): twelve months of applications replayed, day by
day, through the real case services inside `businessday.replaying(day, at=time)`, by the demo
hall's own staff. Every check, audit entry, timeline event, deadline and notice is the one the
services write; nothing is inserted behind their back except three timestamps that record when
a row was written (case created/updated, extension requested, outbox message created/sent),
which are set to the replayed moment.

The mix follows the Shenzhen city hall report (seed 000), scaled down: about half immediate
cases decided at the counter, promised cases taken through their steps and mostly completed
early, a few late; supplement, returned (some appealed), return-review, joint, reported-up,
suspended and extended cases; 容缺 and 告知承诺 acceptances with their follow-up. The replay
stops at the present moment, so the cases still under way are open in every state, and a few
of each open state are planned on the last working days to make sure the queues have work.

Deterministic for a given seed and day; idempotent: nothing is done when the demo center
already has cases."""

from __future__ import annotations

import heapq
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import pre_save
from django.utils import timezone

from servicehall.accounts.choices import DEPARTMENT_ROLES, Role
from servicehall.accounts.models import User
from servicehall.accounts.services import user_create
from servicehall.catalog.demo.loader import CITY_CODE, DEMO_PASSWORD
from servicehall.catalog.models import Department, ServiceItem
from servicehall.core import businessday
from servicehall.core.calendar import calendar_for
from servicehall.core.choices import MessageStatus
from servicehall.core.errors import DomainError
from servicehall.core.identifiers import credit_code_check_char, id_number_check_char
from servicehall.core.models import Center, OutboxAttempt, OutboxMessage

from . import services
from .choices import (
    AcceptanceMode,
    AppealResult,
    ApplicantKind,
    CaseStatus,
    CaseType,
    Decision,
    DeliveryMode,
    EventKind,
    IntakeChannel,
    IntakeOutcome,
    PauseKind,
)
from .models import Case, CaseEvent

DEFAULT_CASES = 1500
DEFAULT_SEED = 2026

OPENING, CLOSING = 9 * 60, 18 * 60  # office hours, with the lunch break 12:00–14:00
NEVER = datetime.max
DAY_END = time(23, 59)

# --------------------------------------------------------------------------------------------
# Applicants: names, ID numbers (GB 11643), credit codes (GB 32100), mobile numbers
# --------------------------------------------------------------------------------------------

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
            "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
            "贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志晓红宇浩然子涵欣怡梓萱一诺雨轩俊思远嘉"
         "佳琪文博海燕立新秀兰春梅玉凤德胜永福家豪婷婷慧颖子豪振东雪梅丹丹晨阳若曦泽宇诗涵")
REGIONS = ("440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310",
           "440311", "440304", "440305", "440306", "440307", "445202", "441302", "440582",
           "441581", "430104", "420106", "360102", "450103", "510107", "350102", "110105",
           "310104", "362502", "441402", "431102")
BRANDS = ("华信", "创科", "鹏程", "前海", "南山", "深蓝", "中科", "海岸", "腾跃", "宏图", "智联",
          "新航", "恒达", "金桥", "嘉禾", "粤通", "明德", "博雅", "星河", "万象", "安泰", "瑞丰",
          "天成", "汇通", "德润", "鼎盛", "光启", "云帆", "致远", "联合")
TRADES = ("科技", "贸易", "电子", "建设工程", "餐饮管理", "物流", "医疗器械", "文化传媒",
          "投资咨询", "环保科技", "信息技术", "供应链管理", "食品", "生物医药", "新能源",
          "物业管理")
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                   "159", "182", "183", "187", "188", "130", "131", "132", "155", "156", "185",
                   "186", "133", "153", "180", "181", "189", "177", "199")
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def id_number(rng: random.Random, *, adult_on: date) -> str:
    birth = date(rng.randint(1950, adult_on.year - 18), 1, 1) + timedelta(days=rng.randrange(365))
    first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_number_check_char(first17)


def _organization_check(code8: str) -> str:
    """GB 11714: the check character of the organization code inside a credit code."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in code8]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random) -> str:
    organization = "MA5" + "".join(rng.choice(CREDIT_CHARS[:10] + "DFGHJKLMNPQRTUWXY")
                                   for _ in range(5))
    first17 = f"91440300{organization}{_organization_check(organization)}"
    return first17 + credit_code_check_char(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def applicant(rng: random.Random, *, enterprise: bool, today: date) -> services.Applicant:
    if enterprise:
        return services.Applicant(
            kind=ApplicantKind.ENTERPRISE,
            name=f"深圳市{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司",
            credit_code=credit_code(rng), agent_name=person_name(rng),
            agent_id_number=id_number(rng, adult_on=today), phone=mobile(rng))
    return services.Applicant(kind=ApplicantKind.PERSON, name=person_name(rng),
                              id_number=id_number(rng, adult_on=today), phone=mobile(rng))


# --------------------------------------------------------------------------------------------
# What staff write
# --------------------------------------------------------------------------------------------

OPINIONS = {
    "承办": ("申请材料齐全,符合法定形式,拟同意,请审核。", "经初审,申请人符合条件,建议准予许可。",
             "已核对原件,材料真实有效,拟予办理。"),
    "审核": ("同意承办意见,报审定。", "经审核,符合有关规定,同意。", "审核通过,材料完整有效。"),
    "审查": ("经审查,申请人符合法定条件。", "审查通过。"),
    "现场核查": ("经现场核查,场所与申报情况一致,符合要求。", "现场核查合格,核查记录已归档。"),
    "审定": ("同意。", "审定通过,准予许可。", "同意审核意见。"),
    "批准": ("同意,准予许可。", "批准。"),
    "制证": ("证照已制作,核对无误。", "已制证,待发放。"),
}
JOINT_OPINIONS = ("经会审,符合本部门要求,同意。", "同意,无意见。",
                  "本部门意见:同意,请牵头部门办结。")
CONDITIONS = ("准予许可。附条件:须在三个月内完成消防设施整改并报备。",
              "准予许可。附条件:许可有效期内每年报送经营情况。")
DENIALS = ("经审查,申请人不符合法定条件,不予许可。", "现场核查发现实际情况与申报不符,不予许可。")
RETURN_NOTES = {
    "key_materials_missing": "缺少主要申请材料,请备齐后重新申请。",
    "not_in_scope": "该事项属区级部门职权范围,请向福田区行政服务大厅申请。",
    "conditions_not_met": "申请人不符合该事项的申请条件。",
    "materials_invalid": "申请材料不符合法定形式,需由部门进一步研判。",
}
OVERRIDES = {
    "not_in_scope": "申请事项不属于本部门职权范围",
    "conditions_not_met": "经核查申请人不符合申请条件",
    "materials_invalid": "材料是否符合法定形式需部门研判",
}
SUSPENSIONS = {
    PauseKind.EXPERT_REVIEW: "项目技术方案需组织专家评审",
    PauseKind.SITE_SURVEY: "需对建设场地进行现场勘察",
    PauseKind.PUBLIC_NOTICE: "依法进行公示,公示期满后继续办理",
    PauseKind.HEARING: "利害关系人申请听证,依法组织听证",
}
URGENT_REASONS = ("市重点项目,市领导批示急办。", "企业投产在即,申请加急办理,经中心同意。",
                  "涉及民生保障,列为急办件。")
EXTENSION_REASONS = ("需征求相关部门意见,", "专家意见尚未出具,", "需补充现场核查,")
APPEALS = ("申请人认为所缺材料已在其他部门提交,可通过部门共享获取。",
           "申请人认为其符合申请条件,要求重新审查。")
VERIFY_PASSED = ("经现场核查,申请人承诺内容属实。", "经核查,申请人已具备承诺的许可条件。")
VERIFY_FAILED = "经现场核查,申请人承诺的经营场所与实际不符,承诺不实,依法撤销许可决定。"
REPORT_ANSWERS = ("上级机关已批复同意,按批复办理。", "上级机关复函:原则同意,请依法办结。")


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInfo:
    item: ServiceItem
    department_id: int
    department_code: str
    short_name: str
    kind: str  # the item's processing type
    promised_working: int
    steps: tuple[str, ...]
    key: tuple[int, ...]
    minor: tuple[int, ...]
    optional: tuple[int, ...]
    delivery: tuple[str, ...]
    joint: tuple[int, ...]


@dataclass
class Fate:
    """What happens to one application; drawn at intake."""

    path: str  # immediate, standard, supplement, return, return_review, tolerance, notify
    timing: str = "early"  # early, due, late
    special: str = ""  # suspend, correction, extension, report
    urgent: bool = False
    handover: bool = False
    abandon: bool = False  # supplement never completed
    appeal: str = ""  # "", upheld, reopened
    confirm: bool = True  # return review: the return stands
    extension_refused: bool = False
    verify_fails: bool = False
    decision: str = Decision.APPROVED
    delivery: str = DeliveryMode.WINDOW
    picked_up: bool = True


@dataclass(order=True)
class Act:
    at: datetime
    order: int
    name: str = field(compare=False)
    args: dict = field(compare=False, default_factory=dict)


@dataclass
class Run:
    """One application being replayed: its plan and where it stands."""

    info: ItemInfo
    fate: Fate
    acts: list[Act]
    case: Case | None = None
    holder: User | None = None
    members: list[User] = field(default_factory=list)


class Cursor:
    """A moment on the working calendar that a plan moves forward."""

    def __init__(self, plan: Planner, day: int, minute: int):
        self.plan, self.day, self.minute = plan, day, minute

    @property
    def at(self) -> datetime:
        if self.day >= len(self.plan.days):
            return NEVER
        return datetime.combine(self.plan.days[self.day], time(self.minute // 60,
                                                                 self.minute % 60))

    def later(self, low: int, high: int) -> Cursor:
        """`low`..`high` minutes later the same day; work begun is finished the same day,
        after closing time if need be (延时服务)."""
        minute = self.minute + self.plan.rng.randint(low, high)
        if 12 * 60 <= minute < 14 * 60:
            minute += 120
        if minute >= CLOSING:
            minute = max(self.minute + 1, min(minute, CLOSING + 60))
        return Cursor(self.plan, self.day, minute)

    def after(self, days: int) -> Cursor:
        """`days` working days later at an office time (later the same day when 0)."""
        if days <= 0:
            return self.later(10, 150)
        return Cursor(self.plan, self.day + days, self.plan.office_minute())


def _composition(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` working days split into `parts` non-negative shares."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


class Planner:
    """Draws the applications and their fates, and turns each into a dated plan of acts."""

    def __init__(self, *, rng: random.Random, days: list[date], items: list[ItemInfo],
                 today: date):
        self.rng, self.days, self.items, self.today = rng, days, items, today
        self.order = 0

    def office_minute(self) -> int:
        if self.rng.random() < 0.5:
            return OPENING + self.rng.randint(5, 170)
        return 14 * 60 + self.rng.randint(0, 225)

    def counter_minute(self) -> int:
        """Applicants at the counter: peaks mid-morning and mid-afternoon."""
        slots = ((9, 0.7), (9.5, 1.0), (10, 1.3), (10.5, 1.3), (11, 1.0), (11.5, 0.6),
                 (14, 0.6), (14.5, 0.9), (15, 1.1), (15.5, 1.0), (16, 0.9), (16.5, 0.7),
                 (17, 0.5), (17.5, 0.25))
        start = self.rng.choices([s for s, _ in slots], [w for _, w in slots])[0]
        return int(start * 60) + self.rng.randint(0, 29)

    def act(self, cursor: Cursor, name: str, **args) -> Act:
        self.order += 1
        return Act(cursor.at, self.order, name, args)

    # -- fates ---------------------------------------------------------------------------

    def fate(self, info: ItemInfo) -> Fate:
        r = self.rng.random
        delivery = self._delivery(info)
        if info.kind == "immediate":
            path = self.rng.choices(("immediate", "supplement", "return"), (94, 3, 3))[0]
            fate = Fate(path, timing="due", delivery=delivery)
        else:
            paths = ["standard", "supplement", "return", "return_review", "tolerance", "notify"]
            weights = [76, 10, 4, 2, 4, 4]
            if info.kind in ("joint", "reported"):
                weights[-1] = 0
            fate = Fate(self.rng.choices(paths, weights)[0], delivery=delivery)
            fate.timing = self.rng.choices(("early", "due", "late"), (88, 11.7, 0.3))[0]
            if info.promised_working <= 0:
                fate.timing = "due"
            fate.urgent = r() < 0.03
            fate.handover = r() < 0.05
            if info.kind == "reported":
                fate.special = "report"
            elif fate.path != "notify" and r() < 0.12:
                fate.special = self.rng.choices(("suspend", "correction", "extension"),
                                                (4, 3, 2))[0]
            if fate.special == "correction" and (fate.path == "tolerance" or not info.minor):
                fate.special = ""
            if fate.special == "extension" and info.promised_working < 3:
                fate.special = ""
            fate.extension_refused = r() < 0.15
            fate.decision = self.rng.choices(
                (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS, Decision.DENIED),
                (93, 4, 3))[0]
        if fate.path == "supplement" and info.kind == "joint":
            # A joint item accepted pending supplement gets no co-department tasks from the
            # services (they key them on the case type, which stays "supplement").
            fate.path = "standard"
        if fate.path in ("supplement", "tolerance") and not info.minor:
            fate.path = "immediate" if info.kind == "immediate" else "standard"
        fate.abandon = fate.path == "supplement" and r() < 0.06
        fate.appeal = self.rng.choices(("", AppealResult.UPHELD, AppealResult.REOPENED),
                                       (75, 15, 10))[0] if fate.path == "return" else ""
        fate.confirm = r() < 0.5
        fate.verify_fails = r() < 0.04
        fate.picked_up = r() < 0.97
        if fate.path == "notify":
            fate.decision = Decision.APPROVED
        return fate

    def _delivery(self, info: ItemInfo) -> str:
        others = [m for m in info.delivery if m != DeliveryMode.WINDOW]
        if others and self.rng.random() < (0.4 if others[0] == DeliveryMode.ONLINE else 0.25):
            return others[0]
        return info.delivery[0] if info.delivery else DeliveryMode.WINDOW

    def enterprise(self, info: ItemInfo) -> bool:
        share = {"SCJG": 0.8, "GAJ": 0.1, "JJ": 0.2, "RSJ": 0.4, "MZJ": 0.1, "WJW": 0.5,
                 "GS": 0.9, "DS": 0.9, "HG": 0.95, "JYJY": 0.9, "JMXXW": 0.9, "FGW": 0.95}
        return self.rng.random() < share.get(info.department_code, 0.6)

    # -- plans ---------------------------------------------------------------------------

    def plan(self, info: ItemInfo, fate: Fate, day: int, minute: int | None = None
             ) -> list[Act]:
        c = Cursor(self, day, self.counter_minute() if minute is None else minute)
        rng = self.rng
        channel = (IntakeChannel.ONLINE if rng.random() < 0.25 else IntakeChannel.WINDOW)
        everything = set(info.key + info.minor + info.optional)
        intake = {"applicant": applicant(rng, enterprise=self.enterprise(info), today=self.today),
                  "channel": channel, "received": everything}
        acts: list[Act] = []
        if fate.path == "return":
            reason = rng.choices(("key_materials_missing", "not_in_scope", "conditions_not_met"),
                                 (60, 20, 20))[0]
            intake.update(return_reasons=[reason], return_note=RETURN_NOTES[reason])
            if reason == "key_materials_missing":
                intake["received"] = everything - {rng.choice(info.key)}
            else:
                intake.update(outcome=IntakeOutcome.RETURN, override_reason=OVERRIDES[reason])
            acts.append(self.act(c, "intake", **intake))
            if fate.appeal:
                c = c.after(rng.randint(1, 3))
                acts.append(self.act(c, "appeal", reason=rng.choice(APPEALS)))
                c = c.after(rng.randint(1, 4))
                acts.append(self.act(c, "appeal_decide", result=fate.appeal))
                if fate.appeal == AppealResult.REOPENED:
                    acts += self._handling(info, fate, c)
            return acts
        if fate.path == "return_review":
            intake.update(outcome=IntakeOutcome.RETURN_REVIEW, return_reasons=["materials_invalid"],
                          return_note=RETURN_NOTES["materials_invalid"],
                          override_reason=OVERRIDES["materials_invalid"])
            acts.append(self.act(c, "intake", **intake))
            c = c.after(rng.randint(1, 3))
            acts.append(self.act(c, "return_review", confirm=fate.confirm))
            if not fate.confirm:
                acts += self._handling(info, fate, c)
            return acts
        missing = set(rng.sample(info.minor, rng.randint(1, min(2, len(info.minor))))
                      ) if info.minor else set()
        if fate.path == "supplement":
            intake["received"] = everything - missing
            acts.append(self.act(c, "intake", **intake))
            if fate.abandon:
                return acts
            c = c.after(rng.randint(1, 8))
            acts.append(self.act(c, "materials_complete"))
            return acts + self._handling(info, fate, c)
        if fate.path == "tolerance":
            intake.update(received=everything - missing, acceptance_mode=AcceptanceMode.TOLERANCE)
            acts.append(self.act(c, "intake", **intake))
            return acts + self._handling(info, fate, c, tolerated=sorted(missing))
        if fate.path == "notify":
            intake.update(acceptance_mode=AcceptanceMode.NOTIFY_COMMIT, commitment_signed=True)
            acts.append(self.act(c, "intake", **intake))
            c = c.later(10, 60)
            acts.append(self.act(c, "decide", decision=Decision.APPROVED, note="",
                                 delivery=fate.delivery))
            acts += self._delivery_acts(fate, c)
            v = c.after(rng.randint(5, 19))
            acts.append(self.act(v, "verify", passed=not fate.verify_fails))
            return sorted(acts)
        acts.append(self.act(c, "intake", **intake))
        return acts + self._handling(info, fate, c)

    def _handling(self, info: ItemInfo, fate: Fate, start: Cursor, *,
                  tolerated: list[int] | None = None) -> list[Act]:
        """From the clock start to the decision and the delivery."""
        rng = self.rng
        if info.kind == "immediate":  # decided at the counter
            c = start.later(5, 40)
            return [self.act(c, "decide", decision=Decision.APPROVED, note="",
                             delivery=fate.delivery), *self._delivery_acts(fate, c)]
        p = info.promised_working
        target = {"early": rng.randint(max(0, p // 3), max(0, p - 1)) if p > 0 else 0,
                  "due": p, "late": p + rng.randint(1, 3)}[fate.timing]
        ext_days = 0
        if fate.special == "extension":
            ext_days = rng.randint(3, 10)
            target = p if fate.extension_refused else p + rng.randint(1, ext_days)

        def before_decision() -> Cursor:
            """A moment after the intake and before the decision (made on day `target`)."""
            if target < 2:
                return start.later(1, 8)  # before the first step is taken
            return Cursor(self, start.day + rng.randint(1, target - 1), self.office_minute())

        middle = list(info.steps[1:-1])
        shares = _composition(rng, target, len(middle) + 1)
        pause_after = rng.randrange(len(middle) + 1) if fate.special else -1
        acts: list[Act] = []
        side: list[Act] = []
        c = start
        if fate.urgent:
            by_leader = rng.random() < 0.3
            side.append(self.act(c.later(1, 8), "urgent", reason=rng.choice(URGENT_REASONS),
                                 leader=by_leader))
        if tolerated:
            side.append(self.act(before_decision(), "tolerated", material_ids=tolerated))
        for department_id in info.joint:
            side.append(self.act(before_decision(), "joint",
                                 department_id=department_id, opinion=rng.choice(JOINT_OPINIONS)))
        if fate.special == "extension":
            request = max(1, min(p - 1, target - 1))
            reason = rng.choice(EXTENSION_REASONS) + f"申请延期{ext_days}个工作日。"
            side.append(self.act(Cursor(self, start.day + request, OPENING + 30), "ext_request",
                                 working_days=ext_days, reason=reason))
            decide_on = start.day + request + (1 if target - request > 1 else 0)
            minute = 16 * 60 if decide_on == start.day + request else OPENING + 40
            side.append(self.act(Cursor(self, decide_on, minute), "ext_decide",
                                 approve=not fate.extension_refused))
        for position, name in enumerate(middle):
            c = c.after(0) if position == 0 else c.later(5, 60)
            acts.append(self.act(c, "take", handover=fate.handover and position == 0))
            if fate.handover and position == 0:
                c = c.later(10, 60)
                acts.append(self.act(c, "handover"))
            c = c.after(shares[position])
            acts.append(self.act(c, "complete", step=name))
            if position == pause_after:
                c = self._pause(acts, fate, info, c.later(5, 60), start, shares)
        if pause_after == len(middle):
            c = self._pause(acts, fate, info, c.later(5, 60), start, shares)
        c = c.after(shares[-1])
        decision_note: str = {Decision.APPROVED.value: "",
                         Decision.APPROVED_WITH_CONDITIONS.value: rng.choice(CONDITIONS),
                         Decision.DENIED.value: rng.choice(DENIALS)}[fate.decision]
        acts.append(self.act(c, "decide", decision=fate.decision, note=decision_note,
                             delivery=fate.delivery))
        if fate.decision != Decision.DENIED:
            acts += self._delivery_acts(fate, c)
        return sorted(acts + side)

    def _pause(self, acts: list[Act], fate: Fate, info: ItemInfo, c: Cursor, start: Cursor,
               shares: list[int]) -> Cursor:
        """A special procedure, a correction or a report up, from `c`. The clock does not stop
        on its start day, so a pause that would begin then begins the next working day, and
        the case catches up that day later on."""
        rng = self.rng
        if c.day == start.day:
            c = Cursor(self, c.day + 1, self.office_minute())
            shares[-1] = max(0, shares[-1] - 1)
        if fate.special == "suspend":
            kind = rng.choices(list(SUSPENSIONS), (4, 4, 2, 1))[0]
            days = rng.randint(3, 15)
            acts.append(self.act(c, "suspend", kind=kind, reason=SUSPENSIONS[kind],
                                 expected=days))
            c = c.after(days + rng.randint(-1, 2))
            acts.append(self.act(c, "resume", note="特别程序结束,恢复办理。"))
        elif fate.special == "correction":
            lacking = [rng.choice(info.minor)]
            acts.append(self.act(c, "request_supplement", material_ids=lacking,
                                 note="请补正后继续办理。"))
            c = c.after(rng.randint(1, 5))
            acts.append(self.act(c, "materials_complete"))
        elif fate.special == "report":
            acts.append(self.act(c, "report_up",
                                 authority=f"广东省{info.short_name.removeprefix('市')}(上级主管部门)"))
            c = c.after(rng.randint(5, 20))
            acts.append(self.act(c, "report_answered", answer=rng.choice(REPORT_ANSWERS)))
        return c.later(5, 60)

    def _delivery_acts(self, fate: Fate, decided: Cursor) -> list[Act]:
        rng = self.rng
        if fate.delivery == DeliveryMode.WINDOW:
            if not fate.picked_up:
                return []
            when = decided.later(2, 10) if rng.random() < 0.5 else decided.after(
                rng.randint(1, 5))
            return [self.act(when, "deliver", mode=DeliveryMode.WINDOW)]
        if fate.delivery == DeliveryMode.POST:
            when = decided.later(30, 120) if rng.random() < 0.5 else decided.after(1)
            return [self.act(when, "deliver", mode=DeliveryMode.POST,
                             tracking=f"11{rng.randrange(10 ** 11):011d}")]
        return [self.act(decided.later(5, 30), "deliver", mode=fate.delivery)]


# --------------------------------------------------------------------------------------------
# The staff who act
# --------------------------------------------------------------------------------------------


@dataclass
class Staff:
    windows: list[User]
    business: User
    leader: User
    members: dict[int, list[User]]
    created: list[str]


def demo_staff(center: Center, departments: list[Department]) -> Staff:
    """The demo logins, and one reviewer account for each department that has none."""
    users = {u.username: u for u in User.objects.filter(center=center)}
    members: dict[int, list[User]] = defaultdict(list)
    for user in users.values():
        if user.role in DEPARTMENT_ROLES and user.department_id and user.is_active:
            members[user.department_id].append(user)
    rng, created = random.Random(7), []
    for department in departments:
        if members[department.pk]:
            continue
        username = f"{department.code.lower()}_reviewer"
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=DEMO_PASSWORD, role=Role.REVIEWER, center=center,
            department=department, by=None,
            full_name=f"{person_name(rng)}({department.short_name.removeprefix('市')}审核)")
        members[department.pk].append(user)
        created.append(username)
    for group in members.values():
        group.sort(key=lambda u: (u.role != Role.CHIEF_REPRESENTATIVE, u.username))
    return Staff(windows=[users["window01"], users["window02"]], business=users["business"],
                 leader=users["leader"], members=dict(members), created=created)


# --------------------------------------------------------------------------------------------
# The replay
# --------------------------------------------------------------------------------------------

# What the demo must show when the replay stops, as (fate, the act its plan stops after; ""
# for the whole story): open cases in every state, so that the queues have work, and a
# returned and a revoked case.
OPEN_AT_END = (
    ("standard", "intake"),  # in the department's pool
    ("standard", "take"),  # held by a reviewer
    ("supplement", "intake"),  # awaiting materials
    ("suspend", "suspend"),  # special procedure under way
    ("correction", "request_supplement"),  # correction asked after acceptance
    ("return_review", "intake"),  # return review due
    ("appeal", "appeal"),  # under appeal
    ("returned", ""),  # returned at the counter
    ("extension", "ext_request"),  # extension awaiting approval
    ("report", "report_up"),  # reported up
    ("joint", "intake"),  # co-departments still at work
    ("urgent", "urgent"),  # urgent and open
    ("tolerance", "intake"),  # tolerated materials outstanding
    ("notify", "decide"),  # verification due
    ("pickup", "decide"),  # result waiting at the window
    ("revoked", ""),  # a failed verification, the whole story
)


def _forced_fate(planner: Planner, kind: str) -> tuple[ItemInfo, Fate]:
    rng = planner.rng
    want = {"report": "reported", "joint": "joint"}.get(kind, "promised")
    infos = [i for i in planner.items if i.kind == want and len(i.steps) >= 3 and
             (kind not in ("supplement", "correction", "tolerance") or i.minor) and
             i.promised_working >= 3]
    infos = infos or [i for i in planner.items if i.kind == "promised" and len(i.steps) >= 3]
    preferred = [i for i in infos if i.department_code in ("SCJG", "GAJ")]
    info = rng.choice(preferred if preferred and rng.random() < 0.7 else infos)
    fate = planner.fate(info)
    fate.path, fate.timing, fate.special, fate.urgent = "standard", "early", "", False
    fate.abandon, fate.appeal, fate.handover = False, "", False
    fate.decision = Decision.APPROVED
    if kind in ("supplement", "tolerance", "return_review"):
        fate.path = kind
    elif kind in ("suspend", "correction", "extension", "report"):
        fate.special, fate.extension_refused = kind, False
    elif kind == "appeal":
        fate.path, fate.appeal = "return", AppealResult.UPHELD
    elif kind == "returned":
        fate.path = "return"
    elif kind == "urgent":
        fate.urgent = True
    elif kind in ("notify", "revoked"):
        fate.path, fate.verify_fails = "notify", kind == "revoked"
    elif kind == "pickup":
        fate.delivery, fate.picked_up = DeliveryMode.WINDOW, False
    return info, fate


def _forced_plans(planner: Planner, last: int, copies: int) -> dict[int, list[tuple]]:
    """Applications planned on the last working days so that, when the replay stops, some
    case is in each open state of `OPEN_AT_END`."""
    plans: dict[int, list[tuple]] = defaultdict(list)
    horizon = datetime.combine(planner.days[last], time(0, 0))
    for kind, stop in OPEN_AT_END:
        for copy in range(copies):
            for back in range(1 + copy * 2, 40):
                day = last - back
                if day < 0:
                    break
                info, fate = _forced_fate(planner, kind)
                acts = planner.plan(info, fate, day)
                names = [a.name for a in acts]
                if stop:
                    if stop not in names:
                        continue
                    acts = acts[:names.index(stop) + 1]
                if acts[-1].at < horizon:
                    plans[day].append((info, fate, acts))
                    break
    return plans


def _day_weights(rng: random.Random, days: list[date], calendar) -> list[float]:
    month = {1: 1.1, 2: 0.75, 3: 1.15, 4: 1.0, 5: 0.95, 6: 1.05, 7: 1.0, 8: 0.95, 9: 1.05,
             10: 0.85, 11: 1.0, 12: 1.15}
    weekday = {0: 1.2, 1: 1.1, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.6, 6: 0.6}
    weights = []
    for day in days:
        after_holiday = not calendar.is_working_day(day - timedelta(days=1)) and not (
            calendar.is_working_day(day - timedelta(days=3)))
        weights.append(month[day.month] * weekday[day.weekday()] * (1.4 if after_holiday else 1)
                       * rng.uniform(0.8, 1.2))
    return weights


def _item_infos(center: Center) -> list[ItemInfo]:
    items = (ServiceItem.objects.filter(center=center, is_active=True)
             .select_related("department", "current_version")
             .prefetch_related("current_version__steps", "current_version__materials",
                               "current_version__joint_departments"))
    infos = []
    for item in items:
        v = item.version
        materials = list(v.materials.all())
        promised = v.promised_limit if v.promised_limit_unit == "working" else (
            v.promised_limit * 5 // 7)
        infos.append(ItemInfo(
            item=item, department_id=item.department_id, department_code=item.department.code,
            short_name=item.department.short_name, kind=v.processing_type,
            promised_working=promised, steps=tuple(s.name for s in v.steps.all()),
            key=tuple(m.pk for m in materials if m.is_key),
            minor=tuple(m.pk for m in materials if m.is_required and not m.is_key),
            optional=tuple(m.pk for m in materials if not m.is_required),
            delivery=tuple(v.delivery_modes) or (DeliveryMode.WINDOW,),
            joint=tuple(d.pk for d in v.joint_departments.all()
                        if d.pk != item.department_id and v.processing_type == "joint")))
    return infos


class Replay:
    def __init__(self, *, center: Center, staff: Staff, rng: random.Random):
        self.center, self.staff, self.rng = center, staff, rng
        self.failures: Counter[str] = Counter()
        self.count = 0

    def member(self, run: Run) -> User:
        return run.holder or self.rng.choice(self.staff.members[run.info.department_id])

    def window(self) -> User:
        return self.rng.choice(self.staff.windows)

    def execute(self, run: Run, act: Act) -> bool:
        """Do one act as the staff member whose job it is; False if the service refused."""
        with businessday.replaying(act.at.date(), at=act.at.time()):
            try:
                self._do(run, act)
            except DomainError as refused:
                self.failures[f"{act.name}: {refused.message}"] += 1
                return False
        return True

    def _do(self, run: Run, act: Act) -> None:  # noqa: C901, PLR0912
        a, case, s, name = act.args, run.case, self.staff, act.name
        if name == "intake":
            run.case = services.case_intake(
                item=run.info.item, applicant=a["applicant"], received=a["received"],
                by=self.window(), channel=a["channel"], outcome=a.get("outcome"),
                override_reason=a.get("override_reason", ""),
                return_reasons=a.get("return_reasons"), return_note=a.get("return_note", ""),
                acceptance_mode=a.get("acceptance_mode", AcceptanceMode.STANDARD),
                commitment_signed=a.get("commitment_signed", False))
            self.count += 1
        elif name == "take":
            members = s.members[run.info.department_id]
            chief = members[0] if members[0].role == Role.CHIEF_REPRESENTATIVE else None
            reviewers = [m for m in members if m is not chief] or members
            run.holder = self.rng.choice(reviewers)
            if chief is not None and run.holder is not chief and self.rng.random() < 0.3:
                run.case = services.case_step_assign(case=case, to_user_id=run.holder.pk,
                                                     by=chief)
            else:
                run.case = services.case_step_take(case=case, by=run.holder)
        elif name == "handover":
            others = [m for m in s.members[run.info.department_id] if m != run.holder]
            if others:
                to = self.rng.choice(others)
                run.case = services.case_step_hand_over(case=case, to_user_id=to.pk,
                                                        note="请协助审核。", by=run.holder)
                run.holder = to
        elif name == "complete":
            holder = self.member(run)
            run.case = services.case_step_complete(
                case=case, by=holder,
                opinion=self.rng.choice(OPINIONS.get(a["step"], ("同意。",))))
            run.holder = None
        elif name == "decide":
            year = act.at.year
            certificate = (f"深{run.info.short_name.removeprefix('市')[:2]}许〔{year}〕"
                           f"{self.rng.randrange(1, 99999):05d}号"
                           if a["decision"] != Decision.DENIED and self.rng.random() < 0.6
                           else "")
            run.case = services.case_decide(case=case, decision=a["decision"], note=a["note"],
                                            by=self.member(run), certificate_number=certificate,
                                            delivery_mode=a["delivery"])
        elif name == "deliver":
            run.case = services.case_deliver(case=case, mode=a["mode"], by=self.window(),
                                             tracking_number=a.get("tracking", ""))
        elif name == "urgent":
            run.case = services.case_mark_urgent(case=case, reason=a["reason"],
                                                 by=s.leader if a["leader"] else s.business)
        elif name == "materials_complete":
            run.case = services.case_materials_complete(case=case, by=self.window())
        elif name == "tolerated":
            run.case = services.case_tolerated_materials_received(
                case=case, material_ids=set(a["material_ids"]), by=self.window())
        elif name == "request_supplement":
            run.case = services.case_request_supplement(
                case=case, material_ids=set(a["material_ids"]), note=a["note"],
                by=self.member(run))
        elif name == "suspend":
            run.case = services.case_suspend(case=case, kind=a["kind"], reason=a["reason"],
                                             expected_working_days=a["expected"],
                                             by=self.member(run))
        elif name == "resume":
            run.case = services.case_resume(case=case, note=a["note"], by=self.member(run))
        elif name == "report_up":
            run.case = services.case_report_up(case=case, authority=a["authority"],
                                               by=self.member(run))
        elif name == "report_answered":
            run.case = services.case_report_answered(case=case, answer=a["answer"],
                                                     by=self.member(run))
        elif name == "joint":
            by = self.rng.choice(s.members[a["department_id"]])
            run.case = services.case_joint_task_complete(case=case, opinion=a["opinion"], by=by)
        elif name == "ext_request":
            services.case_extension_request(case=case, working_days=a["working_days"],
                                            reason=a["reason"], by=self.member(run))
        elif name == "ext_decide":
            run.case = services.case_extension_decide(
                case=case, approve=a["approve"],
                note="同意延期。" if a["approve"] else "延期理由不充分,不予同意,请按期办结。",
                by=s.leader if self.rng.random() < 0.3 else s.business)
        elif name == "verify":
            run.case = services.case_verify(
                case=case, passed=a["passed"], by=self.member(run),
                note=self.rng.choice(VERIFY_PASSED) if a["passed"] else VERIFY_FAILED)
        elif name == "appeal":
            run.case = services.case_appeal(case=case, reason=a["reason"], by=self.window())
        elif name == "appeal_decide":
            upheld = a["result"] == AppealResult.UPHELD
            run.case = services.case_appeal_decide(
                case=case, result=a["result"], by=s.business,
                note="经复核,退回理由成立,维持退回。" if upheld
                else "经复核,相关材料可通过部门共享获取,予以受理。")
        elif name == "return_review":
            run.case = services.case_return_review(
                case=case, confirm=a["confirm"], by=self.member(run),
                note="经部门研判,申请材料不符合法定形式,维持退回。" if a["confirm"]
                else "经部门研判,材料符合要求,予以受理。")
        else:  # pragma: no cover - a plan names only the acts above
            raise ValueError(f"unknown act {name}")


def demo_center() -> Center | None:
    return Center.objects.filter(code=CITY_CODE).first()


def demo_has_cases() -> bool:
    center = demo_center()
    return center is not None and Case.objects.filter(center=center).exists()


def _stamp_messages(*, real_today: date, rng: random.Random):
    """Outbox messages written during the replay carry the replayed moment; the ones of past
    days went out then (the SMS gateway of that day), today's wait for the worker."""

    def stamp(sender, instance, **kwargs):
        if instance.pk is not None:
            return
        moment = businessday.now()
        instance.created_at = instance.next_attempt_at = moment
        if timezone.localtime(moment).date() < real_today:
            instance.status, instance.attempts = MessageStatus.SENT, 1
            instance.sent_at = moment + timedelta(seconds=rng.randint(2, 40))

    return stamp


def _finish_timestamps(center: Center) -> None:
    events = CaseEvent.objects.filter(case=OuterRef("pk"))
    Case.objects.filter(center=center).update(
        created_at=Subquery(events.order_by("at", "pk").values("at")[:1]),
        updated_at=Subquery(events.order_by("-at", "-pk").values("at")[:1]))
    for case in Case.objects.filter(center=center, extensions__isnull=False).distinct():
        requests = list(case.events.filter(kind=EventKind.EXTENSION_REQUESTED)
                        .order_by("at").values_list("at", flat=True))
        for extension, at in zip(case.extensions.order_by("pk"), requests, strict=False):
            type(extension).objects.filter(pk=extension.pk).update(requested_at=at)
    rng = random.Random(3)
    sent = OutboxMessage.objects.filter(center=center, status=MessageStatus.SENT,
                                        attempt_log__isnull=True).values_list("pk", "sent_at")
    OutboxAttempt.objects.bulk_create(
        (OutboxAttempt(message_id=pk, at=at, ok=True, duration_ms=rng.randint(60, 400))
         for pk, at in sent.iterator() if at is not None), batch_size=2000)


def summary(center: Center) -> dict:
    cases = Case.objects.filter(center=center)
    completed = cases.filter(completed_on__isnull=False)
    accepted = cases.exclude(case_type=CaseType.RETURNED)
    decided = completed.count()
    return {
        "cases": cases.count(),
        "status": Counter(cases.values_list("status", flat=True)),
        "type": Counter(cases.values_list("case_type", flat=True)),
        "immediate_share": cases.filter(case_type=CaseType.IMMEDIATE).count()
        / max(1, accepted.count()),
        "early_rate": completed.filter(early=True).count() / max(1, decided),
        "on_time_rate": completed.filter(on_time=True).count()
        / max(1, completed.filter(on_time__isnull=False).count()),
        "urgent": cases.filter(is_urgent=True).count(),
        "messages": Counter(OutboxMessage.objects.filter(center=center)
                            .values_list("status", flat=True)),
    }


def load_demo_cases(*, cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED, log=print,
                    now: datetime | None = None) -> dict | None:
    """Replay a year of `cases` applications in the demo hall; None when it already has
    cases (or there is no demo hall)."""
    center = demo_center()
    if center is None or Case.objects.filter(center=center).exists():
        return None
    now = timezone.localtime(now)
    with transaction.atomic():
        result = _replay(center, cases=cases, seed=seed, log=log, now=now)
    return result


def _working_days(calendar, first: date, last: date) -> list[date]:
    days, day = [], first
    while calendar.covers(day) and day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _replay(center: Center, *, cases: int, seed: int, log, now: datetime) -> dict:
    rng = random.Random(seed)
    calendar = calendar_for(center)
    today = now.date()
    first = date(today.year - 1, today.month, min(today.day, 28)) + timedelta(days=1)
    departments = list(Department.objects.filter(center=center).order_by("sort_order"))
    staff = demo_staff(center, departments)
    if staff.created:
        log(f"demo reviewers: {len(staff.created)} departments got one "
            f"(<code>_reviewer, e.g. {staff.created[0]}; password {DEMO_PASSWORD})")
    items = _item_infos(center)
    horizon = date(calendar.last_year, 12, 31)
    days = _working_days(calendar, first, horizon)  # beyond today: for plans only
    if not days or days[0] > today:
        log("The demo center's calendar does not cover the past year; no cases replayed.")
        return summary(center) | {"refused": {}}
    last = max(i for i, d in enumerate(days) if d <= today)
    planner = Planner(rng=rng, days=days, items=items, today=today)
    forced = _forced_plans(planner, last, copies=max(1, cases // 700))
    normal = max(0, cases - sum(len(v) for v in forced.values()))
    weights = _day_weights(rng, days[:last + 1], calendar)
    per_day = Counter(rng.choices(range(last + 1), weights, k=normal))
    pick = _item_picker(rng, items)
    replay = Replay(center=center, staff=staff, rng=rng)
    heap: list[tuple[datetime, int, Run]] = []
    cutoff = now.replace(tzinfo=None)
    stamp = _stamp_messages(real_today=today, rng=random.Random(seed + 1))
    pre_save.connect(stamp, sender=OutboxMessage, dispatch_uid="demo-cases-outbox")
    try:
        month, received_in_month = days[0].strftime("%Y-%m"), 0
        for index in range(last + 1):
            day = days[index]
            runs = [Run(info, fate, acts) for info, fate, acts in forced.get(index, [])]
            for _ in range(per_day[index]):
                info = pick()
                fate = planner.fate(info)
                runs.append(Run(info, fate, planner.plan(info, fate, index)))
            for run in runs:
                heapq.heappush(heap, (run.acts[0].at, run.acts[0].order, run))
            end = min(datetime.combine(day, DAY_END), cutoff)
            before = replay.count
            while heap and heap[0][0] <= end:
                _, _, run = heapq.heappop(heap)
                act = run.acts.pop(0)
                if replay.execute(run, act) and run.acts:
                    heapq.heappush(heap, (run.acts[0].at, run.acts[0].order, run))
            received_in_month += replay.count - before
            if index == last or days[index + 1].strftime("%Y-%m") != month:
                log(f"  {month}: {received_in_month} applications received")
                if index < last:
                    month, received_in_month = days[index + 1].strftime("%Y-%m"), 0
    finally:
        pre_save.disconnect(sender=OutboxMessage, dispatch_uid="demo-cases-outbox")
    _finish_timestamps(center)
    result = summary(center)
    result["refused"] = dict(replay.failures)
    _log_summary(result, log)
    return result


def _item_picker(rng: random.Random, items: list[ItemInfo]):
    """Immediate items about half of the time; SCJG and GAJ (the departments of the demo
    logins) get a large share, the rest is spread over every department."""
    classes = {"immediate": 50, "promised": 43, "joint": 4, "reported": 3}
    focus = {"SCJG": 6.0, "GAJ": 4.0}
    by_class: dict[str, dict[int, list[ItemInfo]]] = defaultdict(lambda: defaultdict(list))
    for info in items:
        by_class[info.kind][info.department_id].append(info)
    names = [k for k in classes if by_class.get(k)]

    def pick() -> ItemInfo:
        kind = rng.choices(names, [classes[k] for k in names])[0]
        groups = list(by_class[kind].values())
        weights = [focus.get(g[0].department_code, 1.0) for g in groups]
        return rng.choice(rng.choices(groups, weights)[0])

    return pick


def _log_summary(result: dict, log) -> None:
    status = ", ".join(f"{CaseStatus(k).label} {v}" for k, v in sorted(
        result["status"].items(), key=lambda kv: -kv[1]))
    kinds = ", ".join(f"{CaseType(k).label} {v}" for k, v in sorted(
        result["type"].items(), key=lambda kv: -kv[1]))
    log(f"demo cases: {result['cases']} in total")
    log(f"  by status: {status}")
    log(f"  by type: {kinds}")
    log(f"  immediate share {result['immediate_share']:.1%}, early completions "
        f"{result['early_rate']:.1%}, on time {result['on_time_rate']:.2%}, "
        f"urgent {result['urgent']}")
    log("  messages: " + ", ".join(f"{k} {v}" for k, v in sorted(result["messages"].items())))
    if result["refused"]:
        log(f"  refused by the services: {result['refused']}")
