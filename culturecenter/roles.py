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
