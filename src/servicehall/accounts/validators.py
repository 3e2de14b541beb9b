from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of: lower-case, upper-case, digits, anything else (symbols, Chinese)."""
    return sum([
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
    ])


class CharacterClassesValidator:
    """The password mixes at least `min_classes` kinds of characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "The password must mix at least %(n)d kind of characters: lower-case letters, "
            "upper-case letters, digits, symbols.",
            "The password must mix at least %(n)d kinds of characters: lower-case letters, "
            "upper-case letters, digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}

