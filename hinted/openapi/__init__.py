"""OpenAPI for hinted: the document models, their generation from routes, and the docs pages."""
