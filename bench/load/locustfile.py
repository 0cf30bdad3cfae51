"""Load test: a realistic mix of visitors, API clients and partner tools (issue 6, item 8).

Run by bench/load/run.sh (locust from bench/out/load-venv, never the project's deps).
Fixtures (practice ids and paths, search words, taxonomy values, an API token) come from
bench/load/prepare.py, path in LOAD_FIXTURES.

Each request has a name, so locust reports per request type:

  browse:home, browse:guideline, browse:phase, browse:practice     HTML pages
  search:facets        /practices/?q=…&phase=…&stakeholder=…         (every facet counted)
  api:list-facets      /api/v1/practices/?q=…&phase=…&facets=all
  api:detail           /api/v1/practices/{id}/
  api:guidelines       /api/v1/guidelines/
  export:csv           /api/v1/practices/?format=csv&q=…&phase=…&crisis_type=…&stakeholder=…
                       (a narrowed export; the full 100,000-row CSV is another scenario)
  submit:api           POST /api/v1/submissions/ (token auth; creates a submitted,
                       non-public practice in the benchmark database)

Every response is checked (status, content type, a marker of the body); anything else is
a failure, reported with its status and the start of its body.
"""

import json
import os
import random
from itertools import count

from locust import HttpUser, between, task

with open(os.environ.get("LOAD_FIXTURES", "bench/out/load/fixtures.json")) as f:
    FIX = json.load(f)

PRACTICES = FIX["practices"]
WORDS = FIX["words"]
PHASES = FIX["phases"]
STAKEHOLDERS = FIX["stakeholders"]
CRISIS_TYPES = FIX["crisis_types"]
GUIDELINES = FIX["guidelines"]
TOKEN = FIX["token"]
SUBMISSION_NUMBER = count(1)
TIMEOUT = 30  # seconds: a request slower than this is a failure, not a wait


class Visitor(HttpUser):
    # Think time between two actions of one user: 50 users are 50 people (or tools), not
    # 50 loops hammering as fast as they can.
    wait_time = between(1, 3)

    def check(self, name, method, url, *, status=200, ctype="text/html", marker=None, **kw):
        with self.client.request(
            method, url, name=name, timeout=TIMEOUT, catch_response=True, **kw
        ) as r:
            got = r.headers.get("Content-Type", "")
            if r.status_code != status:
                r.failure(f"HTTP {r.status_code} (want {status}): {r.text[:200]!r}")
            elif ctype not in got:
                r.failure(f"Content-Type {got!r} (want {ctype})")
            elif marker is not None and marker not in r.text:
                r.failure(f"body lacks {marker!r}")
            else:
                r.success()
            return r

    # -- browse (HTML) -----------------------------------------------------------------
    @task(5)
    def home(self):
        self.check("browse:home", "GET", "/", marker="</html>")

    @task(5)
    def guideline(self):
        self.check(
            "browse:guideline", "GET", f"/guidelines/{random.choice(GUIDELINES)}/", marker="</html>"
        )

    @task(5)
    def phase(self):
        self.check("browse:phase", "GET", f"/phases/{random.choice(PHASES)}/", marker="</html>")

    @task(20)
    def practice(self):
        p = random.choice(PRACTICES)
        self.check("browse:practice", "GET", p["path"], marker="</html>")

    # -- search with facets (HTML) -----------------------------------------------------
    @task(20)
    def search(self):
        params = {"q": random.choice(WORDS), "phase": random.choice(PHASES)}
        if random.random() < 0.7:
            params["stakeholder"] = random.choice(STAKEHOLDERS)
        self.check("search:facets", "GET", "/practices/", params=params, marker="</html>")

    # -- API reads ---------------------------------------------------------------------
    @task(10)
    def api_list(self):
        params = {"q": random.choice(WORDS), "phase": random.choice(PHASES), "facets": "all"}
        r = self.check(
            "api:list-facets",
            "GET",
            "/api/v1/practices/",
            params=params,
            ctype="application/json",
            marker='"facets"',
        )
        if r.ok and r.status_code == 200:
            try:
                body = r.json()
                assert "results" in body and "facets" in body
            except (ValueError, AssertionError):
                r.failure("not the practice list JSON")

    @task(10)
    def api_detail(self):
        p = random.choice(PRACTICES)
        self.check(
            "api:detail",
            "GET",
            f"/api/v1/practices/{p['id']}/",
            ctype="application/json",
            marker=f'"id":{p["id"]}',
        )

    @task(5)
    def api_guidelines(self):
        self.check("api:guidelines", "GET", "/api/v1/guidelines/", ctype="application/json")

    # -- CSV export (narrowed) ---------------------------------------------------------
    @task(4)
    def export_csv(self):
        params = {
            "format": "csv",
            "q": random.choice(WORDS),
            "phase": random.choice(PHASES),
            "crisis_type": random.choice(CRISIS_TYPES),
            "stakeholder": random.choice(STAKEHOLDERS),
        }
        self.check("export:csv", "GET", "/api/v1/practices/", params=params, ctype="text/csv")

    # -- submissions (API, token) ------------------------------------------------------
    @task(2)
    def submit(self):
        n = next(SUBMISSION_NUMBER)
        body = {
            "title": f"[LOAD TEST] Community alert network for migrants {n}",
            "summary": "Volunteers relay early warnings to migrant workers in their languages.",
            "body": "A load-test submission. " + " ".join(random.sample(WORDS, 20)),
            "phases": [random.choice(PHASES)],
            "stakeholders": random.sample(STAKEHOLDERS, 2),
            "guidelines": [random.choice(GUIDELINES)],
            "crisis_types": [random.choice(CRISIS_TYPES)],
            "year": random.randint(2005, 2025),
            "organizations": "Load test",
            "language": "en",
        }
        self.check(
            "submit:api",
            "POST",
            "/api/v1/submissions/",
            status=201,
            ctype="application/json",
            json=body,
            headers={"Authorization": f"Token {TOKEN}"},
        )
