"""CSL 1.0.2, "Date" and "Localized Date Formats".

(The day's ordinal, which takes the month's gender, is in ``ordinals``.)
"""
from __future__ import annotations


# --- Localized date formats (CSL 1.0.2, "Localized Date Formats") ----------------------------
# "The delimiter attribute of a localized date format [cs:date in cs:locale]
# ... is used"; the calling cs:date may not set one. citeproc-py joins the
# parts with the caller's (empty) delimiter, giving "2013Sep4".

def render_single_date_with_locale_delimiter(self, date, show_parts=None, context=None):
    if context is not None and context is not self:
        parts = self.parts(date, show_parts, context)
    else:
        parts = self.parts(date, show_parts)
    if not parts:
        return None
    return self.join(parts)
