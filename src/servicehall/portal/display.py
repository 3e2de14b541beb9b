"""The elderly-friendly display mode (适老化) of the public pages: a cookie, set by a link in
the header, read by every public page. No account needed, nothing stored on the server."""

COOKIE = "display_mode"
ELDERLY = "elderly"
STANDARD = "standard"
MODES = frozenset({ELDERLY, STANDARD})
COOKIE_AGE = 365 * 24 * 3600


def is_elderly_mode(request) -> bool:
    return request.COOKIES.get(COOKIE) == ELDERLY
