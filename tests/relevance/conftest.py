"""Prints the relevance scores at the end of the run, whatever the outcome."""

REPORTS: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for text in REPORTS:
        terminalreporter.write_sep("-", "search relevance")
        terminalreporter.write_line(text)
