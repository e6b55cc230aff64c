"""Pages to upload a family tree and follow its import, and to export a tree as GEDCOM: request
the file, follow its writing, download it."""

import functools

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from genealogy.models import ModerationState, Tree, Visibility
from genealogy.privacy import TreeViewer

from .forms import GedcomUploadForm
from .models import ExportJob, ImportJob
from .services import (
    UploadTooLarge,
    export_file_path,
    export_job_expire,
    export_job_request,
    export_progress,
    import_job_create,
    import_progress,
)

REPORT_WARNINGS_SHOWN = 500


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = GedcomUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                owner=request.user,
                upload=form.cleaned_data["file"],
                tree_slug=form.cleaned_data["slug"],
                tree_title=form.cleaned_data["title"],
                visibility=form.cleaned_data["visibility"],
            )
        except UploadTooLarge:
            form.add_error("file", _("The file is larger than the site accepts."))
        else:
            return redirect(job)
    jobs = ImportJob.objects.filter(owner=request.user)[:10]
    return render(
        request, "importers/upload.html", {"form": form, "jobs": jobs, "title": _("Import a tree")}
    )


def _own_job(request, job_id) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.owner_id != request.user.pk and not request.user.is_superuser:
        # Someone else's import does not exist as far as this visitor is concerned.
        raise PermissionDenied
    return job


@login_required
@require_GET
def job_detail(request, job_id):
    job = _own_job(request, job_id)
    warnings = job.report.get("warnings", []) if job.report else []
    groups: dict[str, list] = {}
    for warning in warnings[:REPORT_WARNINGS_SHOWN]:
        groups.setdefault(warning.get("kind") or "other", []).append(warning)
    return render(
        request,
        "importers/job.html",
        {
            "job": job,
            "progress": import_progress(job),
            "warning_groups": sorted(groups.items()),
            "warnings_total": len(warnings),
            "warnings_cut": max(0, len(warnings) - REPORT_WARNINGS_SHOWN),
            "tree": Tree.objects.filter(slug=job.tree_slug).first(),
            "title": _("Import of %(name)s") % {"name": job.original_filename},
        },
    )


@login_required
@require_GET
def job_status(request, job_id):
    return JsonResponse(import_progress(_own_job(request, job_id)))


# -- exports ---------------------------------------------------------------------------------
#
# Who may export is exactly who may open the tree (genealogy.privacy.TreeViewer); what they get
# is the full file with full access, the redacted one otherwise. Every view below decides it
# again for the visitor at hand: a job's id in a URL grants nothing by itself.


class _SignInRequired(Exception):
    pass


def _tree_viewer(request, slug) -> tuple[Tree, TreeViewer]:
    tree = get_object_or_404(Tree, slug=slug)
    viewer = TreeViewer(request.user, tree)
    if not viewer.can_view:
        # As the tree pages: a members-only tree asks for a sign-in, others do not exist.
        if (
            not request.user.is_authenticated
            and tree.visibility == Visibility.USERS
            and tree.moderation_state == ModerationState.APPROVED
        ):
            raise _SignInRequired
        raise Http404
    return tree, viewer


def _tree_access(view):
    """Resolve ``slug`` to the tree and the visitor's :class:`TreeViewer`, or answer 404 / the
    sign-in page; exports depend on who asks, so no shared cache may keep any answer."""

    @functools.wraps(view)
    def wrapped(request, slug, **kwargs):
        try:
            tree, viewer = _tree_viewer(request, slug)
        except _SignInRequired:
            response = redirect_to_login(request.get_full_path())
        else:
            response = view(request, tree, viewer, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _export_job(tree: Tree, viewer: TreeViewer, job_id) -> ExportJob:
    """The job, if it is of this tree and of the variant this visitor gets; else 404 (a full
    file is never served to someone without full access, whoever requested it). A file of an
    older state of the tree, or one gone from the disk, is marked as no longer available."""
    job = get_object_or_404(ExportJob, pk=job_id, tree=tree)
    if job.redacted == viewer.full_access:
        raise Http404
    job.tree = tree
    if job.is_ready and (job.tree_updated != tree.updated or export_file_path(job) is None):
        export_job_expire(job=job)
    return job


@require_http_methods(["GET", "POST"])
@_tree_access
def tree_export(request, tree, viewer):
    """GET: the export page. POST: find or start the export of this tree for this visitor and
    go to its status page."""
    if request.method == "POST":
        version = "7.0" if request.POST.get("version") == "7.0" else "5.5.1"
        job = export_job_request(
            tree=tree,
            version=version,
            redacted=not viewer.full_access,
            requested_by=request.user,
        )
        return redirect(job)
    return render(
        request,
        "importers/export.html",
        {
            "tree": tree,
            "redacted": not viewer.full_access,
            "title": _("Download %(tree)s as GEDCOM") % {"tree": tree.title},
        },
    )


@require_GET
@_tree_access
def export_job_detail(request, tree, viewer, job_id):
    job = _export_job(tree, viewer, job_id)
    return render(
        request,
        "importers/export_job.html",
        {
            "tree": tree,
            "job": job,
            "progress": export_progress(job),
            "title": _("GEDCOM file of %(tree)s") % {"tree": tree.title},
        },
    )


@require_GET
@_tree_access
def export_job_status(request, tree, viewer, job_id):
    return JsonResponse(export_progress(_export_job(tree, viewer, job_id)))


@require_GET
@_tree_access
def export_download(request, tree, viewer, job_id):
    job = _export_job(tree, viewer, job_id)
    path = export_file_path(job) if job.is_ready else None
    if path is None:
        return redirect(job)  # its page says why there is nothing to download
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.download_filename,
        content_type="text/x-gedcom; charset=utf-8",
    )
