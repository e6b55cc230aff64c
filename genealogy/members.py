"""Members of a family tree: the users its owner invites to see everything in it, the living
included (see :func:`genealogy.privacy.has_full_access`).

The form finds the invited user; the writes are keyword-only functions in a transaction, as in
``services.py``, so the members page and any later caller (an API, the admin) share them.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from . import models as g


class MembershipError(ValueError):
    """A membership that may not be made (the owner, a duplicate)."""


def can_manage_members(user, tree: g.Tree) -> bool:
    """The tree's owner and staff choose who else sees everything in it."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return tree.owner_id is not None and tree.owner_id == user.pk


def find_user(identifier: str):
    """The active user with this username, or failing that this e-mail address; None when
    there is none or the e-mail address belongs to several accounts."""
    identifier = identifier.strip()
    if not identifier:
        return None
    users = get_user_model().objects.filter(is_active=True)
    for lookup in ("username", "username__iexact", "email__iexact"):
        found = list(users.filter(**{lookup: identifier})[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1 and lookup == "email__iexact":
            raise forms.ValidationError(
                _("Several accounts use this e-mail address; enter the username instead."),
                code="ambiguous",
            )
    return None


class MemberInviteForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The person must already have an account on this site."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=g.MembershipRole.choices, initial=g.MembershipRole.VIEWER
    )

    def __init__(self, *args, tree: g.Tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree

    def clean_user(self):
        user = find_user(self.cleaned_data["user"])
        if user is None:
            raise forms.ValidationError(
                _("There is no account with this username or e-mail address."), code="unknown"
            )
        if self.tree.owner_id == user.pk:
            raise forms.ValidationError(
                _("This is the tree's owner, who sees everything already."), code="owner"
            )
        if g.TreeMembership.objects.filter(tree=self.tree, user=user).exists():
            raise forms.ValidationError(
                _("%(user)s is a member of this tree already.") % {"user": user.get_username()},
                code="duplicate",
            )
        return user


def _check_role(role: str) -> None:
    if role not in g.MembershipRole.values:
        raise MembershipError(_("Unknown role."))


def membership_invite(*, tree: g.Tree, user, role: str = g.MembershipRole.VIEWER):
    """Make ``user`` a member of ``tree``; the owner and existing members are refused."""
    _check_role(role)
    if tree.owner_id == user.pk:
        raise MembershipError(_("This is the tree's owner, who sees everything already."))
    try:
        with transaction.atomic():
            return g.TreeMembership.objects.create(tree=tree, user=user, role=role)
    except IntegrityError as error:  # invited twice at the same moment
        raise MembershipError(_("This user is a member of this tree already.")) from error


def membership_role_change(*, membership: g.TreeMembership, role: str) -> g.TreeMembership:
    _check_role(role)
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: g.TreeMembership) -> None:
    with transaction.atomic():
        membership.delete()
