import os

from django.core.wsgi import get_wsgi_application

from ita_portal.lib.startup import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
application = get_wsgi_application()
settle()
