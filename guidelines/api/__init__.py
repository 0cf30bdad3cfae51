"""REST API v1 for phases, principles and guidelines (routes in micic/api/urls.py)."""
