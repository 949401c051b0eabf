"""A person's default saved view applies when they open the tree without a query string.

The tree page belongs to `common`, which must not know about planning; so the redirect happens
here, before the view runs. The board applies its default in its own view. A page opened with
any query string (the Clear button sends `?sort=position`) is left alone, so a person can always
reach the unfiltered page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import saved_views


class DefaultViewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: dict[str, str] | None = None

    def _types_by_path(self) -> dict[str, str]:
        if self._paths is None:
            self._paths = {reverse("common:tree"): "tree"}
        return self._paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view_type = self._types_by_path().get(request.path)
        if (
            view_type
            and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and not request.headers.get("HX-Request")
            and request.user.is_authenticated
        ):
            default = saved_views.default_for(request.user, view_type)
            if default is not None and default.params:
                return redirect(saved_views.target_url(default))
        return self.get_response(request)
