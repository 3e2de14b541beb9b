from .display import is_elderly_mode


def display_mode(request) -> dict:
    """`elderly_mode` for the public pages: large type, high contrast, one column."""
    return {"elderly_mode": is_elderly_mode(request)}
