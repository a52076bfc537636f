"""Django's own words that its Thai catalogue leaves in English (the password rules people read
when they set or change a password). Listed here with gettext_noop so that `makemessages` keeps
them in the portal's catalogue, where their Thai is; the portal's catalogue is read first.
Nothing imports this module at run time."""

from django.utils.translation import gettext_noop, ngettext_lazy

gettext_noop("Your password can’t be too similar to your other personal information.")
gettext_noop("Your password can’t be a commonly used password.")
gettext_noop("Your password can’t be entirely numeric.")
gettext_noop("Enter the same password as before, for verification.")
gettext_noop("The password is too similar to the %(verbose_name)s.")
gettext_noop("This password is too common.")
gettext_noop("This password is entirely numeric.")
ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
