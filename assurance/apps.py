from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    name = "assurance"
    verbose_name = _("Network")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from assurance import audit, panels, translations, views

        audit.register_core_models()
        panels.register(views.HOME, views.network_panel, order=30)
        user_login_failed.connect(views.count_failed_sign_in, dispatch_uid="count-failed-sign-in")
        translations.drop_empty_fallbacks_of_every_language()
