"""The librarians' roles and moderation workflow, created idempotently.

Two Django groups: **Librarians** moderate (edit, publish, approve in the workflow) and
**Authors** contribute (edit and submit for moderation, never publish). A workflow, "Library
moderation", with one "Librarian approval" task, covers the whole page tree.

:func:`ensure_librarian_roles` takes an app registry so that the data migration can run it
with historical models; the demo loader and the tests call it with the live registry (after a
flush, which removes groups but leaves the permission rows that ``post_migrate`` recreates).
"""

from django.apps import apps as global_apps

LIBRARIANS = "Librarians"
AUTHORS = "Authors"
WORKFLOW_NAME = "Library moderation"
TASK_NAME = "Librarian approval"

# (app label, model, codename)
ADMIN_ACCESS = [("wagtailadmin", "admin", "access_admin")]
PAGE_AUTHOR = ["add_page", "change_page"]
PAGE_LIBRARIAN = [*PAGE_AUTHOR, "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
MEDIA_AUTHOR = [
    ("localhistory", "customimage", "add_customimage"),
    ("localhistory", "customimage", "choose_customimage"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
MEDIA_LIBRARIAN = [
    *MEDIA_AUTHOR,
    ("localhistory", "customimage", "change_customimage"),
    ("localhistory", "customimage", "delete_customimage"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "delete_document"),
]
SNIPPETS = [("localhistory", "archive"), ("localhistory", "subjectheading")]
TRANSLATION = [("simple_translation", "simpletranslation", "submit_translation")]


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def _root_collection(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        # A flushed database has no collections; images and documents need the root one.
        root = Collection.objects.create(name="Root", path="0001", depth=1, numchild=0)
    return root


def ensure_librarian_roles(apps=global_apps) -> dict[str, object]:
    """Create or complete the groups, their permissions and the moderation workflow."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    librarians, _ = Group.objects.get_or_create(name=LIBRARIANS)
    authors, _ = Group.objects.get_or_create(name=AUTHORS)

    for group, snippet_actions in (
        (librarians, ("add", "change", "delete", "view")),
        (authors, ("view",)),
    ):
        model_permissions = [_permission(apps, *key) for key in ADMIN_ACCESS + TRANSLATION]
        for app_label, model in SNIPPETS:
            model_permissions += [
                _permission(apps, app_label, model, f"{action}_{model}")
                for action in snippet_actions
            ]
        group.permissions.add(*model_permissions)

    collection = _root_collection(apps)
    for group, keys in ((librarians, MEDIA_LIBRARIAN), (authors, MEDIA_AUTHOR)):
        for key in keys:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(apps, *key)
            )

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return {"librarians": librarians, "authors": authors, "workflow": None}
    for group, codenames in ((librarians, PAGE_LIBRARIAN), (authors, PAGE_AUTHOR)):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(librarians)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return {"librarians": librarians, "authors": authors, "workflow": workflow}
