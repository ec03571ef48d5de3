"""JSON for the PWA (and later the public feeds)."""
