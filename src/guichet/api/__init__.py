"""The JSON API (OpenAPI at /api/docs): thin handlers over the same services and selectors as the pages."""
