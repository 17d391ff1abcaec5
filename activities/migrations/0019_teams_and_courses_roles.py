from django.db import migrations

from culturecenter import roles

_MODELS = ("team", "teammembership", "joinrequest", "honour", "performance", "teamphoto", "course", "coursesession")
_RUN_TEAMS_AND_COURSES = [
    *(f"{action}_{model}" for model in _MODELS for action in ("view", "add", "change")),
    "view_courseenrolment", "view_sessionattendance", "view_attendancecorrection", "view_coursereviewstep", "view_practiceattendance",
    "manage_team", "take_course_attendance", "enrol_on_behalf",
]
PERMISSIONS = {
    roles.STAFF: _RUN_TEAMS_AND_COURSES,
    roles.REVIEWER: [*_RUN_TEAMS_AND_COURSES, "approve_course"],
}


def forwards(apps, schema_editor):
    roles.grant_permissions(apps, "activities", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activities", "0018_teams_and_courses")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
