"""Demo data for a laptop or a training session. Running it again changes nothing."""

from datetime import date, time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from culturecenter import roles
from culturecenter.models import Household, Member, OpeningPeriod, OpeningSchedule, SpecialDay, User, Village
from culturecenter.services import member_create

DEMO_PASSWORD = "qingshui-demo-2024"

STAFF_LOGINS = [
    # username, role group, real name
    ("admin", None, "系统管理员"),
    ("reviewer", roles.REVIEWER, "李主任"),
    ("staff", roles.STAFF, "赵晓燕"),
    ("librarian", roles.LIBRARIAN, "孙丽萍"),
]

V = Village
# Households with a guardian who logs in: (mobile, name, village, birth year, [(name, birth year)])
HOUSEHOLDS = [
    ("13800000001", "王建华", V.XIA_QINGSHUI, 1986, [("王小雨", 2017), ("王德顺", 1956)]),
    ("13800000002", "李秀兰", V.SHANG_QINGSHUI, 1990, [("张子涵", 2015), ("张子轩", 2019)]),
    ("13800000003", "刘海燕", V.YANJIATAI, 1983, [("高明阳", 2011)]),
    ("13800000004", "陈志强", V.HUANGANTUO, 1978, [("陈思雨", 2009), ("陈桂芳", 1951)]),
    ("13800000005", "杨丽娟", V.HONGSHUIKOU, 1992, [("马一诺", 2018)]),
    ("13800000006", "赵国庆", V.XIDAMO, 1969, [("赵淑珍", 1944)]),
    ("13800000007", "孙晓梅", V.XIA_QINGSHUI, 2004, []),
    ("13800000008", "周文博", V.SHANG_QINGSHUI, 2008, []),
    ("13800000009", "吴桂英", V.YANJIATAI, 1958, []),
    ("13800000010", "郑海涛", V.HUANGANTUO, 1995, [("郑可欣", 2020)]),
]
# Villagers served at the front desk, without a phone or a login.
DESK_MEMBERS = [
    ("刘长福", V.HONGSHUIKOU, 1941, True, False),
    ("马凤兰", V.XIDAMO, 1947, False, True),
    ("高永生", V.YANJIATAI, 1952, False, False),
    ("何玉珍", V.SHANG_QINGSHUI, 1949, False, False),
    ("韩德才", V.HUANGANTUO, 1938, True, True),
    ("冯秀云", V.XIA_QINGSHUI, 1955, False, False),
    ("田雨桐", V.OTHER, 2012, False, False),
    ("白玉兰", V.HUANGANTUO, 1962, False, False),
    ("谭志明", V.HONGSHUIKOU, 1975, True, False),
    ("贾晓东", V.XIDAMO, 2010, False, False),
]

TUE_TO_SUN = range(1, 7)


class Command(BaseCommand):
    help = "Load the demo logins, villagers, households and opening hours (idempotent; refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Load even when DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo logins are never created in production (DJANGO_DEBUG=0).")
        self._staff()
        self._villagers()
        self._opening_hours()
        # Each app may add its own demo data in `<app>/demo.py` with a `load(stdout)`;
        # found by name so that this ground-floor app imports none of them.
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").load(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data is in place. Demo logins (password {DEMO_PASSWORD}):"))
        for username, group, _name in STAFF_LOGINS:
            self.stdout.write(f"  {username:<12} {group or 'superuser'}")
        self.stdout.write(f"  {HOUSEHOLDS[0][0]:<12} villager, guardian of a household with a child")

    def _staff(self):
        for username, group_name, name in STAFF_LOGINS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": name, "is_staff": True, "is_superuser": group_name is None},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))

    def _villagers(self):
        for mobile, name, village, birth_year, dependants in HOUSEHOLDS:
            guardian = Member.objects.filter(mobile=mobile).first()
            if guardian is None:
                user = User.objects.create_user(username=f"v-demo-{mobile}", password=DEMO_PASSWORD)
                guardian = member_create(
                    user=user,
                    household=Household.objects.create(name=f"{name}家"),
                    name=name,
                    mobile=mobile,
                    village=village,
                    birth_year=birth_year,
                    consented_at=user.date_joined,
                    by=None,
                )
            for dependant_name, dependant_year in dependants:
                person, created = Member.objects.get_or_create(
                    household=guardian.household,
                    name=dependant_name,
                    defaults={"village": village, "birth_year": dependant_year},
                )
                person.assign_reader_card()
        for name, village, birth_year, disabled, hardship in DESK_MEMBERS:
            person, created = Member.objects.get_or_create(
                name=name,
                village=village,
                birth_year=birth_year,
                household=None,
                defaults={"is_disabled": disabled, "has_hardship": hardship},
            )
            person.assign_reader_card()

    def _opening_hours(self):
        regular, created = OpeningSchedule.objects.get_or_create(valid_from=None, defaults={"name": "常规开放时间"})
        if created:
            OpeningPeriod.objects.bulk_create(
                [OpeningPeriod(schedule=regular, weekday=day, opens=time(9), closes=time(17)) for day in TUE_TO_SUN]
                # 错时开放: Friday and Saturday evenings after farm work.
                + [
                    OpeningPeriod(schedule=regular, weekday=day, opens=time(18, 30), closes=time(20, 30))
                    for day in (4, 5)
                ]
            )
        for year in (2026, 2027):
            summer, created = OpeningSchedule.objects.get_or_create(
                valid_from=date(year, 7, 1),
                defaults={"name": "暑期延时开放（至21:00）", "valid_until": date(year, 8, 31)},
            )
            if created:
                OpeningPeriod.objects.bulk_create(
                    OpeningPeriod(schedule=summer, weekday=day, opens=time(9), closes=time(21)) for day in TUE_TO_SUN
                )
        special_days = [
            (date(2026, 12, 31), False, time(9), time(21, 30), "迎新年联欢，延时开放"),
            (date(2027, 1, 1), True, None, None, "元旦闭馆"),
            (date(2027, 2, 6), True, None, None, "春节闭馆"),
            (date(2027, 2, 7), True, None, None, "春节闭馆"),
            (date(2027, 2, 8), True, None, None, "春节闭馆"),
        ]
        for day, closed, opens, closes, note in special_days:
            SpecialDay.objects.get_or_create(
                date=day, defaults={"is_closed": closed, "opens": opens, "closes": closes, "note": note}
            )
