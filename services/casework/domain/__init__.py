"""Casework's aggregates and their pure rules, one module per family:

- roster: `RosterChild`, a child casework may serve, mirrored from the registry
- cases: `Case` (个案)            - groups: `Group` (小组)
- activities: `Activity`, `MonthlyTheme` (社区, 塞上护童)
- care: `CareService` (生活关爱 and age-appropriate services)
- directors: `ChildDirector`, `Supervision`, `CommunityOrganization`
- funds: `ContractFunds`, `ContractScope` (what finance and grants reported)
- rules: the small checks the aggregates share; errors: what they raise
- reports: `QuarterlyFold`, the pure fold behind the quarterly report

The events the fold dispatches on are declared as classes in their aggregate
(`@event(Opened)`), so it can name them typed; the others are named in `@event`.

Standard library, eventsourcing.domain, shared.errors and shared.vocabulary
only (tests/unit/test_architecture.py)."""
