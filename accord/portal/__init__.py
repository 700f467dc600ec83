"""The client portal: people at client organizations sign in with their own account and see and act
on their own organization's records only (quotes, orders, invoices, cases, trainings, appointments).

Portal accounts are not staff users: they have their own login, session key and permissions, so no
staff page, API or search can ever be reached with a portal session. Apps add their portal pages
with `accord.portal.registry.register_section` and scope every query with `portal_organization`.
"""
