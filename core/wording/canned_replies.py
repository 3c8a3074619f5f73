"""Canned replies rendered for one complaint: Jinja2 in a sandbox, with `StrictUndefined`,
placeholders filled with the complaint's values in the customer's language.

Admins write these templates in the console, so they are checked before they are kept
(`check_canned_reply`): a template may print placeholders (`domain.canned_replies`),
pass them through a few filters, and test them with `{% if %}`; anything else (loops,
`{% set %}`, calls, attribute access, includes) is refused by name, as is a placeholder
nobody provides. The sandbox and the short list of filters stand behind that check.

Money and deadlines print in the customer's locale and time zone, bare (`{{ paid_amount }}`)
or through the mail templates' own filters (`{{ paid_amount|money }}`,
`{{ resolution_due|moment }}`).
"""

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.wording.environment import TYPED_VALUE_FILTERS
from core.wording.formats import format_moment, format_money
from domain.canned_replies import Placeholder
from domain.notifications import MessageValue, Moment, Money
from domain.taxonomy import Locale

PLACEHOLDER_NAMES = frozenset(placeholder.value for placeholder in Placeholder)
# Filters a template may use: the typed values' own, and plain text ones.
ALLOWED_FILTERS = ("money", "moment", "default", "trim", "upper", "lower", "capitalize", "title")
ALLOWED_TESTS = ("defined", "undefined", "none")
# What a template may be made of: text, placeholders, constants, filters, tests and ifs.
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Filter,
    nodes.Test,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
)
# How a refused construct is named to the admin who wrote it.
_TAGS = {
    "For": "{% for %}",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Include": "{% include %}",
    "Extends": "{% extends %}",
    "Import": "{% import %}",
    "FromImport": "{% from %}",
    "Block": "{% block %}",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "Call": "( )",
    "Getattr": ".",
    "Getitem": "[ ]",
    "Add": "+",
    "Sub": "-",
    "Mul": "*",
    "Div": "/",
    "FloorDiv": "//",
    "Mod": "%",
    "Pow": "**",
}
_MISSING = re.compile(r"^'(\w+)' is undefined$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


class CannedReplyRefused(ValueError):
    """A template that cannot be kept. `problem` says why (`syntax`, `unknown_placeholder`,
    `not_allowed`, `unknown_filter`, `unknown_test`), `names` what it named, `line` where."""

    def __init__(
        self, problem: str, message: str, *, names: tuple[str, ...] = (), line: int | None = None
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.names = names
        self.line = line


class CannedReplyNotRenderable(ValueError):
    """The complaint lacks a value the template prints unguarded (`missing`)."""

    def __init__(self, missing: str) -> None:
        super().__init__(f"this complaint has no {missing}, which the template needs")
        self.missing = missing


@pass_context
def _shown(context: Context, value: Any) -> Any:
    """Prints money and moments as the typed filters would: `{{ paid_amount }}` reads the
    same as `{{ paid_amount|money }}`."""
    locale = Locale(context["locale"])
    if isinstance(value, Money):
        return format_money(value.amount, value.currency, locale)
    if isinstance(value, Moment):
        return format_moment(value.at, value.timezone, locale)
    return value


def _sandbox() -> ImmutableSandboxedEnvironment:
    environment = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        # Plain text: the console escapes it when shown, e-mail when sent.
        autoescape=False,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    builtin_filters = dict(environment.filters)
    environment.filters = {
        name: TYPED_VALUE_FILTERS.get(name) or builtin_filters[name] for name in ALLOWED_FILTERS
    }
    environment.tests = {name: environment.tests[name] for name in ALLOWED_TESTS}
    environment.globals = {}
    return environment


SANDBOX = _sandbox()


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _check_known(node: nodes.Filter | nodes.Test) -> None:
    """Raises the refusal of a filter or test the sandbox does not offer."""
    kind, allowed = (
        ("filter", ALLOWED_FILTERS) if isinstance(node, nodes.Filter) else ("test", ALLOWED_TESTS)
    )
    if node.name not in allowed:
        raise CannedReplyRefused(
            f"unknown_{kind}",
            f"line {node.lineno}: no {kind} {node.name!r}; use one of " + ", ".join(allowed),
            names=(node.name,),
            line=node.lineno,
        )


def check_canned_reply(body: str) -> frozenset[str]:
    """Returns the placeholders `body` names; raises `CannedReplyRefused` naming what is
    wrong when it cannot be kept (every unknown placeholder at once)."""
    try:
        parsed = SANDBOX.parse(body)
    except TemplateSyntaxError as error:
        raise CannedReplyRefused(
            "syntax", f"line {error.lineno}: {error.message}", line=error.lineno
        ) from error
    used: set[str] = set()
    unknown: dict[str, int] = {}
    for node in _walk(parsed):
        if not isinstance(node, _ALLOWED_NODES):
            construct = _TAGS.get(type(node).__name__, type(node).__name__)
            raise CannedReplyRefused(
                "not_allowed",
                f"line {node.lineno}: `{construct}` is not allowed in a canned reply; use "
                "placeholders, filters and {% if %}",
                names=(construct,),
                line=node.lineno,
            )
        if isinstance(node, nodes.Name):
            if node.name in PLACEHOLDER_NAMES:
                used.add(node.name)
            else:
                unknown.setdefault(node.name, node.lineno)
        elif isinstance(node, nodes.Filter | nodes.Test):
            _check_known(node)
    if unknown:
        names = tuple(sorted(unknown))
        raise CannedReplyRefused(
            "unknown_placeholder",
            "unknown placeholder "
            + ", ".join(f"{{{{ {name} }}}}" for name in names)
            + "; the placeholders are "
            + ", ".join(sorted(PLACEHOLDER_NAMES)),
            names=names,
            line=min(unknown.values()),
        )
    return frozenset(used)


@lru_cache(maxsize=256)
def _compiled(body: str) -> Template:
    """Returns `body` compiled: the same few templates render on every complaint page."""
    return SANDBOX.from_string(body)


def render_canned_reply(body: str, *, language: Locale, values: Mapping[str, MessageValue]) -> str:
    """Returns `body` filled with `values` in `language`; raises `CannedReplyNotRenderable`
    naming the value a placeholder needs and the complaint lacks, and `CannedReplyRefused`
    for a body `check_canned_reply` refuses (kept before a rule was tightened)."""
    check_canned_reply(body)
    context = {name: value for name, value in values.items() if name in PLACEHOLDER_NAMES}
    try:
        text = _compiled(body).render(context | {"locale": language.value})
    except UndefinedError as error:
        found = _MISSING.match(str(error.message))
        raise CannedReplyNotRenderable(found.group(1) if found else str(error)) from error
    except SecurityError as error:
        # The check refuses what the sandbox would; this is its second line.
        raise CannedReplyRefused("not_allowed", str(error)) from error
    return _BLANK_LINES.sub("\n\n", text).strip()
