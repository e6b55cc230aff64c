"""Public views of the local-history side that are not Wagtail pages: the site search."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from genealogy import search as genealogy_search

from . import search as site_search


@require_GET
def search(request):
    """One search over people, places, sources and pages; ``&format=json`` for machines."""
    query = request.GET.get("q", "").strip()[: site_search.MAX_QUERY_LENGTH]
    filters = site_search.Filters.from_request(request.GET)
    results = site_search.run(request.user, query, filters)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "query": results.query,
                "results": [
                    {
                        "kind": r.kind,
                        "title": r.title,
                        "url": request.build_absolute_uri(r.url) if r.url else "",
                        "score": round(r.score, 4),
                    }
                    for r in results.flat()
                ],
                "counts": results.counts,
                "facets": results.facets,
            },
            json_dumps_params={"ensure_ascii": False},
        )
    groups = [
        (kind, site_search.KINDS[kind], items, results.counts[kind])
        for kind, items in results.groups.items()
        if items
    ]
    return render(
        request,
        "localhistory/search.html",
        {
            "query": query,
            "filters": filters,
            "results": results,
            "groups": groups,
            "kinds": site_search.KINDS,
            "facets": _facet_links(results.facets, _params_without(request.GET)),
            "active_filters": _active_filters(filters, _params_without(request.GET)),
            "title": _("Search results for “%(query)s”") % {"query": query}
            if query
            else _("Search"),
        },
    )


def _params_without(params) -> dict[str, str]:
    """The current query string as a dict, for building facet links."""
    keep = ("q", "kind", "tree", "decade", "born", "died", "within", "place", "relative")
    keep += ("archive", "community")
    return {k: params.get(k, "") for k in keep if params.get(k, "")}


FACET_PARAMS = {
    "kind": "kind",
    "tree": "tree",
    "decade": "decade",
    "place": "place",
    "archive": "archive",
    "community": "community",
}
FACET_TITLES = {
    "kind": gettext_lazy("Kind"),
    "tree": gettext_lazy("Family tree"),
    "decade": gettext_lazy("Born in the decade"),
    "place": gettext_lazy("Place"),
    "archive": gettext_lazy("Archive"),
    "community": gettext_lazy("Community"),
}


def _link(params: dict[str, str], **changes) -> str:
    merged = {**params, **{k: v for k, v in changes.items() if v not in (None, "")}}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
    return "?" + urlencode(merged)


def _facet_links(facets: dict, params: dict[str, str]) -> list[dict]:
    """Facets with a link per value (choosing it, or clearing it when it is the chosen one)."""
    out = []
    for name, param in FACET_PARAMS.items():
        values = facets.get(name) or []
        if not values:
            continue
        items = []
        for value in values:
            active = str(value["value"]) == params.get(param)
            items.append(
                {
                    **value,
                    "active": active,
                    "url": _link(params, **{param: None if active else value["value"]}),
                }
            )
        out.append({"name": name, "title": FACET_TITLES[name], "values": items})
    return out


def _active_filters(filters, params: dict[str, str]) -> list[dict]:
    """The filters in force, each with a link that removes it."""
    labels = {
        "born": _("born"),
        "died": _("died"),
        "place": _("place"),
        "relative": _("parent or partner"),
        "tree": _("tree"),
        "decade": _("decade"),
        "archive": _("archive"),
        "community": _("community"),
        "kind": _("kind"),
    }
    return [
        {"label": label, "value": params[key], "url": _link(params, **{key: None})}
        for key, label in labels.items()
        if params.get(key)
    ]


@require_GET
def suggest(request):
    """Autocomplete: people whose names start like the text typed so far (JSON)."""
    query = request.GET.get("q", "").strip()[: site_search.MAX_QUERY_LENGTH]
    suggestions = genealogy_search.autocomplete(request.user, query) if query else []
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {"label": s.label, "url": s.url, "detail": s.detail} for s in suggestions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
