"""CSV cells that a spreadsheet would run as a formula, neutralised (OWASP, "CSV Injection").

Every CSV the site writes passes its cells through ``safe_cell``: a text cell that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that
spreadsheets show it as text. Numbers are left as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value``, with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
