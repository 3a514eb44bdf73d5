"""English as the cluster's readers write it: British, day first ("14 Jan 2027", "31/01/2026").

Django's "en" is American ("Jan. 14, 2027", "01/31/2026"), which reads wrong in Europe.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403
