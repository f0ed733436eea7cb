from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def tr(obj: Any, name: str) -> str:
    """`obj.<name>_en` when the page is in English and it is filled, else `obj.<name>_vi`."""
    if (get_language() or "vi").startswith("en"):
        english = getattr(obj, f"{name}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, f"{name}_vi", ""))


@register.filter
def vnd(amount: int | None) -> str:
    """1500000 → "1.500.000" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".")


@register.filter
def number(value: Any) -> str:
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text
