"""REST API v1 for taxonomies and published practices (routes in micic/api/urls.py)."""
