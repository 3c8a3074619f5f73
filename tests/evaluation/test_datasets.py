"""The label mappings onto the taxonomy, the metrics, and a quick run of both evaluations."""

from pathlib import Path

import pytest

from domain.taxonomy import Category, SubCategory, category_of
from evaluation import classifier, mentions
from evaluation.datasets import (
    BITEXT_INTENTS,
    BITEXT_LEFT_OUT,
    DEFAULT_DATA_DIR,
    ZHIJIANG_ASPECTS,
    ZHIJIANG_LEFT_OUT,
    is_held_out,
    load_bitext,
    load_zhijiang,
)
from evaluation.metrics import binary_scores, score

needs_data = pytest.mark.skipif(
    not DEFAULT_DATA_DIR.is_dir(), reason=f"no labelled data at {DEFAULT_DATA_DIR}"
)


def test_no_label_is_both_mapped_and_left_out() -> None:
    assert not ZHIJIANG_ASPECTS.keys() & ZHIJIANG_LEFT_OUT.keys()
    assert not BITEXT_INTENTS.keys() & BITEXT_LEFT_OUT.keys()


def test_mapped_sub_categories_belong_to_their_category() -> None:
    for category, sub in [*ZHIJIANG_ASPECTS.values(), *BITEXT_INTENTS.values()]:
        assert sub is None or category_of(sub) is category


def test_enquiries_are_left_out_not_scored_as_late_deliveries() -> None:
    # Reading "where is my order" as late would earn the automatic late-parcel coupon.
    assert {"track_order", "delivery_period"} <= BITEXT_LEFT_OUT.keys()
    assert (Category.LOGISTICS, SubCategory.LATE_DELIVERY) not in BITEXT_INTENTS.values()


def test_held_out_split_is_stable_and_about_half() -> None:
    keys = [f"zh:{n}" for n in range(1000)]
    held_out = [key for key in keys if is_held_out(key)]

    assert held_out == [key for key in keys if is_held_out(key)]
    assert 400 < len(held_out) < 600


def test_scores_per_label() -> None:
    scores = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])

    assert scores.accuracy == 0.75
    by_label = {row.label: row for row in scores.per_label}
    assert by_label["a"].precision == 1.0 and by_label["a"].recall == 0.5
    assert by_label["b"].precision == pytest.approx(2 / 3) and by_label["b"].recall == 1.0
    assert binary_scores([True, False], [False, False]).f1 == 0.0


@needs_data
def test_loaders_map_real_rows_and_count_what_they_leave_out() -> None:
    zh, en = load_zhijiang(DEFAULT_DATA_DIR), load_bitext(DEFAULT_DATA_DIR)

    assert zh.items and zh.left_out and en.items and en.left_out
    assert {item.category for item in zh.items} >= {Category.PRODUCT_QUALITY, Category.SERVICE}
    assert all(item.text for item in zh.items + en.items)


@needs_data
def test_classifier_evaluation_runs_on_a_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert classifier.main(["--limit", "40", "--split", "all"]) == 0

    printed = capsys.readouterr().out
    assert "accuracy=" in printed and "product_quality" in printed and "left out" in printed


@needs_data
def test_mention_evaluation_runs_on_a_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert mentions.main(["--limit", "60", "--folds", "3"]) == 0

    printed = capsys.readouterr().out
    assert "F1=" in printed and "3-fold" in printed


def test_a_missing_data_dir_is_reported(tmp_path: Path) -> None:
    assert classifier.main(["--data-dir", str(tmp_path / "none")]) == 2
    assert mentions.main(["--data-dir", str(tmp_path / "none")]) == 2
