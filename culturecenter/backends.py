import re

from django.contrib.auth.backends import ModelBackend

from culturecenter.lib.login_guard import normalise_login
from culturecenter.models import MOBILE_PATTERN, User


class MobileOrUsernameBackend(ModelBackend):
    """Villagers log in with their mobile number; staff with their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None or not re.fullmatch(MOBILE_PATTERN, username):
            # Staff names are matched as people type them: `Staff` and `ｓｔａｆｆ` are `staff`
            # (look-alike names cannot be created, see UserAdmin's form).
            stored = User.objects.filter(username__iexact=normalise_login(username)).values_list("username", flat=True)
            username = stored.first() or username
            return super().authenticate(request, username=username, password=password, **kwargs)
        user = User.objects.filter(member__mobile=username).first()
        if user is None:
            # Spend the same time hashing as for a real account, so timing does
            # not reveal which mobile numbers are registered.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The logged-in user of each request, with the villager's member record in the same
        query: the header, the menus and most pages ask for it."""
        try:
            user = User._default_manager.select_related("member").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
