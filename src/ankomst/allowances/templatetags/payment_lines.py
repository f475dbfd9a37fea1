"""Payment lines on pages: rule, status and explanation in the reader's language."""

from django import template

from ankomst.allowances import explain

register = template.Library()


@register.filter
def line_explanation(line, language: str | None = None) -> str:
    """``{{ line|line_explanation }}``, or ``{{ line|line_explanation:"sv" }}`` for a statement."""
    return explain.explain_line(line, language or None)


@register.filter
def line_rule(line) -> str:
    return explain.rule_label(line.rule, (line.params or {}).get("name"))


@register.filter
def rule_label(code: str) -> str:
    return explain.rule_label(code)


@register.filter
def line_status(status: str) -> str:
    return explain.status_label(status)


@register.filter
def unconfirmed_item(item: dict) -> str:
    return explain.unconfirmed_item(item)
