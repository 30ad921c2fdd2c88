"""Numbers: CSL 1.0.2, "Number", page ranges in locators, and the citation number."""
from __future__ import annotations


# --- Number variables (CSL 1.0.2, "Number", Appendix IV "Number Variables") ------------------
# cs:number renders "the number variable selected with the required variable
# attribute"; citeproc-py looked up "number-of-pages", "collection-number"
# and the other hyphenated names as written, found nothing and printed
# nothing ("Philadelphia: Wolters Kluwer. 3rd ed." without "1008 p.").

def number_variable_by_its_name(process):
    def number(self, item, context=None, **kwargs):
        variable = self.get("variable", "")
        if "-" not in variable or variable == "page-first":
            return process(self, item, context=context, **kwargs)
        return self._process(item.reference[variable.replace("-", "_")], variable)
    return number


# --- Page locators (CSL 1.0.2, "page-range-format" and the term "page-range-delimiter") ----------
# Page ranges are formatted by the style's page-range-format and joined with
# its page-range-delimiter; a locator of type "page" is a page range too
# ("pp. 475–76" in Chicago, "pp475-476" in AMA). citeproc-py only ever
# replaced its hyphens by en dashes.

def page_locator_as_page_range(variable_text):
    def text(self, item, context):
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        return variable_text(self, item, context)
    return text


# --- Strip-periods (CSL 1.0.2, "Formatting": "strip-periods") -------------------------------
# "When set to 'true' ... any periods in the rendered text are removed." The
# citation number reaches citeproc-py's rendering as an int, which has no
# periods to remove; citeproc-py called ``replace`` on it and failed.

def strip_periods_of_text(strip_periods):
    def strip(self, string):
        if isinstance(string, int):
            return string
        return strip_periods(self, string)
    return strip
