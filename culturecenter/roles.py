"""The center's roles as Django groups. Permissions decide what a role may do;
`is_staff` only opens the admin. Later apps add their permissions to these groups
in their own data migrations."""

STAFF = "工作人员"
REVIEWER = "审核人"
LIBRARIAN = "图书管理员"
VOLUNTEER = "志愿者"

_MEMBERS = ["view_member", "add_member", "change_member", "view_household", "add_household", "change_household"]
_HOURS = [
    f"{action}_{model}"
    for model in ("openingschedule", "openingperiod", "specialday")
    for action in ("view", "add", "change", "delete")
]

# codenames in the culturecenter app
PERMISSIONS = {
    STAFF: [*_MEMBERS, "view_special_groups", *_HOURS],
    REVIEWER: [*_MEMBERS, "view_special_groups", *_HOURS],
    LIBRARIAN: [*_MEMBERS],
    VOLUNTEER: [],
}


def grant_permissions(apps, app_label: str, permissions_by_role: dict[str, list[str]]) -> None:
    """For data migrations: give each role group these codenames of `app_label`, making
    the permissions first (Django normally makes them only after all migrations)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # the migration state's stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in permissions_by_role.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
