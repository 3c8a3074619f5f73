"""Every word Redress shows people, in one place: e-mail templates, the console's and the
customer pages' catalogues, and the Babel formats of dates, money and durations.

docs/wording.md says where each message lives and how to change one or add a language.
"""
