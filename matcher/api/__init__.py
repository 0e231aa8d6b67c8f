"""The JSON API under /api/v1: match, the public catalogue, and its OpenAPI document."""
