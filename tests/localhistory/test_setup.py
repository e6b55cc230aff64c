"""Roles and moderation: Authors edit and submit, Librarians publish and approve."""

import importlib

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow

from localhistory.setup import AUTHORS, LIBRARIANS, WORKFLOW_NAME, ensure_librarian_roles
from tests.factories import UserFactory

from .factories import CollectionIndexPageFactory

pytestmark = pytest.mark.django_db


def member(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def section(home_pages):
    ensure_librarian_roles()
    return CollectionIndexPageFactory(parent=home_pages["kk"])


def test_the_data_migration_creates_both_groups_and_the_workflow(home_pages):
    from django.apps import apps

    migration = importlib.import_module("localhistory.migrations.0004_librarian_roles")
    Group.objects.filter(name__in=[LIBRARIANS, AUTHORS]).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    migration.forwards(apps, None)
    assert set(
        Group.objects.filter(name__in=[LIBRARIANS, AUTHORS]).values_list("name", flat=True)
    ) == {LIBRARIANS, AUTHORS}
    assert home_pages["kk"].get_workflow().name == WORKFLOW_NAME


def test_running_the_setup_again_creates_nothing_twice(home_pages):
    ensure_librarian_roles()
    ensure_librarian_roles()
    assert Group.objects.filter(name=LIBRARIANS).count() == 1
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert GroupApprovalTask.objects.filter(groups__name=LIBRARIANS).count() == 1


def test_authors_can_edit_but_not_publish(section):
    permissions = section.permissions_for_user(member(AUTHORS))
    assert permissions.can_edit()
    assert permissions.can_add_subpage()
    assert not permissions.can_publish()


def test_librarians_can_publish(section):
    assert section.permissions_for_user(member(LIBRARIANS)).can_publish()


def test_every_page_is_moderated_by_the_library_workflow(section):
    workflow = section.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [LIBRARIANS]


def test_a_librarian_approves_what_an_author_submitted_and_it_goes_live(section):
    page = section
    author, librarian = member(AUTHORS), member(LIBRARIANS)
    page.title = "Жаңа атау"
    page.save_revision(user=author)
    state = page.get_workflow().start(page, author)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(page, author) == []
    task.on_action(task_state, librarian, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.title == "Жаңа атау"


def test_the_admin_menu_groups_archives_and_subject_headings(admin_client, home_pages):
    response = admin_client.get("/admin/")
    html = response.content.decode()
    assert "/admin/snippets/localhistory/archive/" in html
    assert "/admin/snippets/localhistory/subjectheading/" in html
