"""Sentences of the console and the customer pages, rendered the way e-mail is.

A catalogue holds, per locale, one sentence per key. Each sentence is a Jinja2 template in
the plain-text environment e-mail uses (`environment.TEXT`): values are `{{ name }}`,
typed ones are formatted by the same filters (`{{ due|moment }}`, `{{ total|money }}`),
and a sentence asking for a value nobody gave fails loudly (`StrictUndefined`) instead of
printing a blank. The page's template engine escapes the finished sentence, so data
filled in (a name, a complaint id) shows as text.

Sentences compile on first use: a page asks for a few dozen of the catalogue's hundreds.
"""

from collections.abc import Mapping
from functools import cache

from jinja2 import Template, meta

from core.wording.environment import TEXT
from domain.taxonomy import Locale


class Catalogue:
    """Returns sentences by key in each locale; every locale carries the same keys, each
    asking for the same values (`mismatches` lists where they differ, a test keeps it empty).
    """

    def __init__(self, sentences: Mapping[Locale, Mapping[str, str]]) -> None:
        self._sentences = sentences

    def say(self, locale: Locale, key: str, **values: object) -> str:
        """Returns the sentence `key` in `locale` with `values` filled in; an unknown key
        raises KeyError (a page must fail its test, not show a key to a person)."""
        sentence = self._sentences[locale][key]
        if "{" not in sentence:
            return sentence
        return _compiled(sentence).render(values, locale=locale.value)

    def has(self, key: str) -> bool:
        """Returns whether the catalogue holds `key` (every locale holds the same keys; a
        table of names asks before it falls back to showing a value as it is stored)."""
        return key in self._sentences[Locale.EN]

    def mismatches(self) -> list[str]:
        """Returns `locale:key` of each sentence whose keys or values differ from English."""
        english = self._sentences[Locale.EN]
        found = []
        for locale, sentences in self._sentences.items():
            if sentences.keys() != english.keys():
                found += [f"{locale}:{k}" for k in sentences.keys() ^ english.keys()]
            for key in sentences.keys() & english.keys():
                if values_of(sentences[key]) != values_of(english[key]):
                    found.append(f"{locale}:{key}")
        return sorted(found)


def values_of(sentence: str) -> set[str]:
    """Returns the names of the values `sentence` asks for."""
    return meta.find_undeclared_variables(TEXT.parse(sentence)) - {"locale"}


@cache
def _compiled(sentence: str) -> Template:
    return TEXT.from_string(sentence)
