"""FastAPI app: pages in Swedish and the JSON API."""
