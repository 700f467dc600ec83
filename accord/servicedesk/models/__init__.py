"""Models of the servicedesk app, one module per area; each is imported here."""

from .appointments import AppointmentKind, AppointmentStatus, ServiceAppointment, ServiceSchedule  # noqa: F401,E501  # appointments
from .cases import *  # noqa: F403  (cases and service levels)
from .servicelevels import *  # noqa: F403  (cases and service levels)
from .trainings import RegistrationStatus, Training, TrainingRegistration  # noqa: F401  # trainings
