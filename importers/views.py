"""Pages to upload a family tree, follow its import, and download a tree as GEDCOM."""

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
from .models import ImportJob
from .services import UploadTooLarge, import_job_create, import_progress

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


@require_GET
def tree_export(request, slug):
    """Download a tree as GEDCOM: anyone who may open the tree may; the living, private and
    restricted people are placeholders for everyone but the owner, members and staff."""
    import tempfile

    from .exporter import tree_export as export

    tree = get_object_or_404(Tree, slug=slug)
    viewer = TreeViewer(request.user, tree)
    if not viewer.can_view:
        # As the tree pages: a members-only tree asks for a sign-in, others do not exist.
        if (
            not request.user.is_authenticated
            and tree.visibility == Visibility.USERS
            and tree.moderation_state == ModerationState.APPROVED
        ):
            return redirect_to_login(request.get_full_path())
        raise Http404
    version = "7.0" if request.GET.get("version") == "7.0" else "5.5.1"
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    export(tree=tree, version=version, fileobj=spool, redact=not viewer.full_access)
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"{tree.slug}-{version}.ged",
        content_type="text/x-gedcom; charset=utf-8",
    )
    # Which export one gets depends on who asks: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response
