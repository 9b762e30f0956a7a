"""Small display helpers of the relationships pages: colours for attitude and strength."""

from __future__ import annotations

from django import template

register = template.Library()

ATTITUDE_CLASSES = {
    "mentor": "text-bg-success",
    "supporter": "text-bg-info",
    "neutral": "text-bg-light border",
    "non_supporter": "text-bg-warning",
    "enemy": "text-bg-danger",
}


@register.filter
def attitude_class(attitude: str) -> str:
    return ATTITUDE_CLASSES.get(attitude, "text-bg-light border")


@register.filter
def strength_class(score: int | None) -> str:
    """Green from 70, amber from 40, red below; grey for no contact at all."""
    if score is None:
        return "text-bg-light border"
    if score >= 70:
        return "text-bg-success"
    if score >= 40:
        return "text-bg-warning"
    return "text-bg-danger"
