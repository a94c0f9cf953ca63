from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The standards' models whose changes go into the audit log, with the fields left out.
AUDITED = [("Framework", []), ("Edition", ["loaded_at"]), ("RatingLevel", []), ("Value", []), ("Criterion", [])]


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Standards")

    def ready(self):
        from assurance.audit import audit

        for model_name, excluded in AUDITED:
            audit(self.get_model(model_name), exclude=excluded)
