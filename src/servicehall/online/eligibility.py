"""Which items can be applied for online and how their result may reach the applicant. Plain
Python on the item version's published elements (seed 002: 网上预审 is online depth level 3,
全流程网办 level 4; zero visits means the result never needs a trip to the hall)."""

PRE_REVIEW_DEPTH = 3
WINDOW, POST, ELECTRONIC = "window", "post", "online"
ZERO_VISIT_MODES = (ELECTRONIC, POST)


def accepts_online(online_depth: int) -> bool:
    return online_depth >= PRE_REVIEW_DEPTH


def delivery_options(*, max_visits: int, delivery_modes: list[str]) -> list[str]:
    """Window pickup always; electronic delivery and post only where the item allows zero
    visits and lists them among its delivery modes."""
    options = [WINDOW]
    if max_visits == 0:
        options += [mode for mode in ZERO_VISIT_MODES if mode in delivery_modes]
    return options
