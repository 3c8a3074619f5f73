"""Checks every page catalogue (`core.wording.catalogue.Catalogue`) must pass; the
console's and the customer pages' word tests run them on their own catalogue."""

import re
from collections.abc import Mapping

from core.wording.catalogue import Catalogue, values_of
from domain.taxonomy import Locale

# A `{name}` outside `{{ }}` (str.format's syntax) would show as it is.
_FORMAT_PLACEHOLDER = re.compile(r"(?<!\{)\{\w+\}(?!\})")


def assert_every_sentence_renders(
    catalogue: Catalogue, sentences: Mapping[Locale, Mapping[str, str]]
) -> None:
    """Asserts that each sentence renders with every value it asks for, and that none is
    left in str.format's syntax."""
    for locale, by_key in sentences.items():
        for key, sentence in by_key.items():
            assert not _FORMAT_PLACEHOLDER.search(sentence), (key, sentence)
            values = dict.fromkeys(values_of(sentence), "VALUE")
            assert "{" not in catalogue.say(locale, key, **values), key
