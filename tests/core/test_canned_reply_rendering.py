"""Canned replies rendered for a complaint: placeholders filled from its view in the
customer's language, money and deadlines as the customer's locale and time zone write
them; templates naming an unknown placeholder, or anything beyond placeholders, filters
and ifs, refused by name; values a complaint lacks named when a template needs them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.wording.canned_replies import (
    CannedReplyNotRenderable,
    CannedReplyRefused,
    check_canned_reply,
    render_canned_reply,
)
from domain.canned_replies import Placeholder, complaint_language, placeholder_values
from domain.complaints import CompensationRecord, ComplaintView, SlaClock
from domain.taxonomy import Locale
from tests.factories import make_customer, make_intake, make_order, make_view

# 18:00 in Shanghai, 10:00 in UTC.
DUE = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def chinese_view(**overrides: object) -> ComplaintView:
    clock = SlaClock(name="resolution", budget_seconds=72 * 3600, due_at=DUE)
    values: dict[str, object] = {"resolution": clock} | overrides
    return make_view(**values)


def render_for(view: ComplaintView, body: str, *, agent_name: str | None = None) -> str:
    values = placeholder_values(view, agent_name=agent_name)
    return render_canned_reply(body, language=complaint_language(view), values=values)


def test_a_chinese_reply_shows_money_and_the_deadline_as_a_chinese_customer_reads_them() -> None:
    view = chinese_view()
    body = (
        "{{ customer_name }}您好，您的订单 {{ order_id }}（实付 {{ paid_amount }}）"
        "我们已收到。我们会在 {{ resolution_due }} 前给您答复。——{{ agent_name }}"
    )

    shown = render_for(view, body, agent_name="客服小李")

    assert shown == (
        "王芳您好，您的订单 ord-20261030-5521（实付 ¥1,388.00）我们已收到。"
        "我们会在 2026年11月5日 18:00 +0800 前给您答复。——客服小李"
    )


def test_an_english_customer_reads_the_same_deadline_in_utc_and_money_in_english() -> None:
    customer = make_customer(locale=Locale.EN, name="Lin Wei")
    view = chinese_view(intake=make_intake(customer=customer))
    body = (
        "Dear {{ customer_name }}, you paid {{ paid_amount|money }}; "
        "expect us by {{ resolution_due|moment }}."
    )

    shown = render_for(view, body)

    assert complaint_language(view) is Locale.EN
    assert shown == (
        "Dear Lin Wei, you paid CN¥1,388.00; expect us by November 5, 2026, 10:00\u202fAM +0000."
    )


def test_every_placeholder_has_a_value_on_a_complaint_that_has_them_all() -> None:
    refund = CompensationRecord(kind="refund", amount=Decimal("200.00"), reference="ref-1")
    view = chinese_view(compensations=[refund])

    values = placeholder_values(view, agent_name="Agent Li")

    assert set(values) == {placeholder.value for placeholder in Placeholder}
    shown = render_canned_reply(
        "{{ refunded_total }} / {{ tracking_number }} / {{ complaint_id }} / {{ customer_id }}",
        language=Locale.ZH_CN,
        values=values,
    )
    assert shown == f"¥200.00 / SF1402938475 / {view.complaint_id} / cust-10086"


def test_a_customer_without_a_name_is_named_by_their_id_as_the_letters_do() -> None:
    view = make_view(intake=make_intake(customer=make_customer(name=None)))

    assert render_for(view, "{{ customer_name }}您好") == "cust-10086您好"


def test_values_a_complaint_lacks_are_left_out_and_named_when_a_template_needs_them() -> None:
    met = SlaClock(name="first_response", budget_seconds=3600, due_at=DUE, met_at=DUE)
    view = make_view(
        intake=make_intake(order=None), first_response=met, resolution=None, compensations=[]
    )

    values = placeholder_values(view)

    assert set(values) == {"customer_name", "customer_id", "complaint_id"}
    with pytest.raises(CannedReplyNotRenderable) as needs:
        render_for(view, "Your order {{ order_id }} is on its way.")
    assert needs.value.missing == "order_id"
    # A template may guard a value some complaints lack.
    guarded = "Thanks{% if order_id is defined %} for order {{ order_id }}{% endif %}."
    assert render_for(view, guarded) == "Thanks."
    assert render_for(chinese_view(), guarded) == "Thanks for order ord-20261030-5521."
    assert render_for(view, "{{ refunded_total|default('nothing yet') }}") == "nothing yet"


def test_no_refund_yet_leaves_refunded_total_out() -> None:
    undone = CompensationRecord(kind="refund", amount=Decimal("50.00"), reference="r", undone=True)
    view = chinese_view(compensations=[undone], intake=make_intake(order=make_order()))

    assert "refunded_total" not in placeholder_values(view)


def test_a_template_naming_an_unknown_placeholder_is_refused_naming_each_one() -> None:
    with pytest.raises(CannedReplyRefused) as refused:
        check_canned_reply("Hi {{ custmer_name }},\nyour {{ order_number }} and {{ order_id }}")

    assert refused.value.problem == "unknown_placeholder"
    assert refused.value.names == ("custmer_name", "order_number")
    assert refused.value.line == 1
    assert "{{ custmer_name }}" in str(refused.value) and "customer_name" in str(refused.value)


def test_a_good_template_is_kept_and_says_which_placeholders_it_uses() -> None:
    body = "{{ customer_name|title }}{% if paid_amount is defined %} {{ paid_amount }}{% endif %}"

    assert check_canned_reply(body) == {"customer_name", "paid_amount"}
    assert check_canned_reply("Plain text, no placeholder.") == frozenset()


@pytest.mark.parametrize(
    ("body", "problem", "named"),
    [
        ("{% for x in order_id %}{{ x }}{% endfor %}", "not_allowed", "{% for %}"),
        ("{% set order_id = 'x' %}", "not_allowed", "{% set %}"),
        ("{% include 'mail/layout.html' %}", "not_allowed", "{% include %}"),
        ("{{ customer_name.__class__ }}", "not_allowed", "."),
        ("{{ customer_name['x'] }}", "not_allowed", "[ ]"),
        ("{{ range(99999999) }}", "not_allowed", "( )"),
        ("{{ customer_name|attr('__class__') }}", "unknown_filter", "attr"),
        ("{{ customer_name is callable }}", "unknown_test", "callable"),
        ("{{ 9 ** 9 ** 9 }}", "not_allowed", "**"),
    ],
)
def test_anything_beyond_placeholders_filters_and_ifs_is_refused_by_name(
    body: str, problem: str, named: str
) -> None:
    with pytest.raises(CannedReplyRefused) as refused:
        check_canned_reply(body)

    assert refused.value.problem == problem
    assert refused.value.names == (named,)


def test_a_syntax_error_is_refused_with_its_line() -> None:
    with pytest.raises(CannedReplyRefused) as refused:
        check_canned_reply("Line one\nLine two {{ customer_name \nLine three")

    assert refused.value.problem == "syntax"
    assert refused.value.line in (2, 3)
    assert str(refused.value).startswith(f"line {refused.value.line}:")


def test_a_customer_s_words_are_printed_as_text_never_run() -> None:
    customer = make_customer(name="{{ 7 * 7 }} <b>Lin</b>")
    view = chinese_view(intake=make_intake(customer=customer))

    assert render_for(view, "{{ customer_name }}") == "{{ 7 * 7 }} <b>Lin</b>"


def test_blank_lines_left_by_ifs_are_folded() -> None:
    view = make_view(intake=make_intake(order=None))
    body = (
        "Hello {{ customer_name }},\n\n"
        "{% if order_id is defined %}\nOrder {{ order_id }}.\n{% endif %}\n\n\nThanks."
    )

    assert render_for(view, body) == "Hello 王芳,\n\nThanks."


def test_a_later_clock_deadline_moves_the_placeholder() -> None:
    view = chinese_view(
        resolution=SlaClock(name="resolution", budget_seconds=1, due_at=DUE + timedelta(days=1))
    )

    assert render_for(view, "{{ resolution_due }}") == "2026年11月6日 18:00 +0800"
