"""Formula-safe CSV: every CSV the site writes goes through `writer()`.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return) as a formula. As OWASP's guidance on CSV injection says, such a cell is
prefixed with `'`, so spreadsheets show it as text. Numbers are written as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """The cell as written: a string that a spreadsheet would run gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([formula_safe(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> _SafeWriter:
    """`csv.writer` whose cells are made formula-safe."""
    return _SafeWriter(stream, **options)
