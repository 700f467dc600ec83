from django.urls import path  # noqa: F401

app_name = "servicedesk"

urlpatterns: list = []

# --- appointments, schedules, trainings (services) ---
from .views import appointments as appointment_views  # noqa: E402
from .views import trainings as training_views  # noqa: E402

urlpatterns += [
    path("services/calendar/", appointment_views.CalendarView.as_view(), name="calendar"),
    path(
        "services/of-organization/<int:pk>/",
        appointment_views.OrganizationServicesView.as_view(),
        name="organization_services",
    ),
    path(
        "services/schedules/<int:pk>/generate/",
        appointment_views.ScheduleGenerateView.as_view(),
        name="serviceschedule_generate",
    ),
    path(
        "services/trainings/<int:pk>/register/",
        training_views.RegistrationAddView.as_view(),
        name="training_register",
    ),
    path(
        "services/trainings/<int:pk>/attendance/",
        training_views.AttendanceView.as_view(),
        name="training_attendance",
    ),
    path(
        "services/registrations/<int:pk>/cancel/",
        training_views.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
]
urlpatterns += appointment_views.AppointmentViews.urls("services/appointments")
urlpatterns += appointment_views.ScheduleViews.urls("services/schedules")
urlpatterns += training_views.TrainingViews.urls("services/trainings")

# --- cases and service levels ---
from .views import cases as case_views  # noqa: E402
from .views import servicelevels as servicelevel_views  # noqa: E402

urlpatterns += [
    path("cases/standards/", case_views.ServiceStandardsView.as_view(), name="case_standards"),
    path("cases/<int:pk>/status/", case_views.CaseStatusView.as_view(), name="case_status"),
    path("cases/<int:pk>/notes/add/", case_views.CaseNoteAddView.as_view(), name="case_note_add"),
    path(
        "cases/notes/<int:pk>/delete/",
        case_views.CaseNoteDeleteView.as_view(),
        name="case_note_delete",
    ),
    path(
        "cases/<int:pk>/conversation/add/",
        case_views.CaseInteractionAddView.as_view(),
        name="case_interaction_add",
    ),
    path(
        "cases/of-organization/<int:pk>/",
        case_views.OrganizationCasesView.as_view(),
        name="organization_cases",
    ),
]
urlpatterns += case_views.CaseViews.urls("cases")
urlpatterns += servicelevel_views.ServiceHoursViews.urls("cases/service-hours")
urlpatterns += servicelevel_views.ServiceLevelPolicyViews.urls("cases/policies")
urlpatterns += servicelevel_views.OrganizationServiceTierViews.urls("cases/client-tiers")
urlpatterns += servicelevel_views.CaseCategoryViews.urls("cases/categories")
