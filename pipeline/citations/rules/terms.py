"""CSL 1.0.2, "Terms" and "Locale Options": which term, in which form, from which locale.

citeproc-py looks terms and locale options up in the style's cs:locale
elements and the locale files; these rules put right how it falls back from
one form to another and from one locale to the next.
"""
from __future__ import annotations

from citeproc import model


# --- Term forms (CSL 1.0.2, "Terms") -------------------------------------------------------------
# "If a style uses a term in a form that is undefined (even after Locale
# Fallback), there is fallback to other forms: 'verb-short' first falls back
# to 'verb', 'symbol' first falls back to 'short', and 'verb' and 'short'
# both fall back to 'long'." citeproc-py printed nothing instead.
FORM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def term_with_form_fallback(get_term):
    def term(self, name, form=None, fallback_locale=True, zero_padded=False):
        found = get_term(self, name, form, fallback_locale, zero_padded)
        while found is None and form in FORM_FALLBACK:
            form = FORM_FALLBACK[form]
            found = get_term(self, name, form, fallback_locale, zero_padded)
        return found
    return term


# --- Term forms (CSL 1.0.2, "Terms": form "long" is the default) ----------------------------
# A term defined with an explicit form="long" is the long form; citeproc-py
# only found long terms written without the attribute, so a style's own
# `<term name="no date" form="long">date unknown</term>` lost to the
# locale file's "no date".

def long_form_is_the_default(get_term):
    def term(self, name, form=None, zero_padded=False):
        if form in (None, "long"):
            try:
                return get_term(self, name, None, zero_padded)
            except IndexError:
                found = self.terms.xpath_search(f"./cs:term[@name='{name}' and @form='long']") \
                    if getattr(self, "terms", None) is not None else []
                if found:
                    return found[0]
                raise
        return get_term(self, name, form, zero_padded)
    return term


# --- Locale options (CSL 1.0.2, "Locale Fallback" and "Locale Options") ---------------------
# Locale fallback works value by value: an in-style cs:locale that sets
# `limit-day-ordinals-to-day-1` does not reset `punctuation-in-quote`, which
# still comes from the locale file (true for en-US). citeproc-py took every
# option from the first locale with a cs:style-options element, defaults
# included.
LOCALE_OPTION_DEFAULTS = {"limit-day-ordinals-to-day-1": "false", "punctuation-in-quote": "false"}


def locale_option_with_fallback(self, name):
    root = self.get_root()
    locales = [root] if isinstance(root, model.Locale) else (getattr(root, "locales", None) or [])
    for locale in locales:
        options = locale.find("cs:style-options", locale.nsmap)
        if options is not None and options.get(name) is not None:
            return options.get(name)
    return LOCALE_OPTION_DEFAULTS.get(name)
