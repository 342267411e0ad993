"""Pages: see urls.py."""
