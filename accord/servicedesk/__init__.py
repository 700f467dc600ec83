"""Cases with service levels, service appointments and trainings."""
