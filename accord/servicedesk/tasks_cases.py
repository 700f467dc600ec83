"""Background job of cases: the service-level check every five minutes (record missed targets,
warn owners before a breach; see `services.cases.cases_check_service_levels`)."""

from datetime import timedelta

from accord.core.jobs import JobContext, register_job, register_periodic

from .services.cases import cases_check_service_levels


@register_job("servicedesk.case_service_levels", heavy=False)
def check_service_levels(ctx: JobContext) -> None:
    counts = cases_check_service_levels()
    ctx.advance(0, breaches=counts["breaches"], warnings=counts["warnings"])


register_periodic("servicedesk.case_service_levels", every=timedelta(minutes=5))
