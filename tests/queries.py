"""Counting a request's SQL queries, for the tests that every list page reads in the same number of queries
for few rows and for many."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(fetch: Callable[[], Any]) -> int:
    """The SQL queries ``fetch`` makes; what it fetches must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200
    return len(ctx.captured_queries)
