"""The gateway: REST + JSON for web clients, RPC to the services.

Routes live in `services/gateway/api/<area>.py`, one class per area; add a new
area's class here. `web/worker.py` is what every route's `self` builds on.
(Modules, not classes, are imported so that `nameko run` does not mistake an
area's routes for a service.)"""

from services.gateway.api import (
    accounts,
    attachments,
    audit,
    casework,
    exports,
    exports_casework,
    exports_finance,
    finance,
    grants,
    offline,
    ops,
    organization_attachments,
    registry,
    roster_import,
    session,
    signin,
    tasks,
    tranche_attachments,
)
from services.gateway.web import worker


class GatewayService(
    signin.SignInRoutes,
    session.SessionRoutes,
    accounts.AccountRoutes,
    registry.RegistryRoutes,
    roster_import.RosterImportRoutes,
    exports_casework.CaseworkExportRoutes,  # both build on exports.ExportRoutes, so come before it
    exports_finance.FinanceExportRoutes,
    exports.ExportRoutes,
    attachments.AttachmentRoutes,
    tranche_attachments.TrancheAttachmentRoutes,
    organization_attachments.OrganizationAttachmentRoutes,
    casework.CaseworkRoutes,
    finance.FinanceRoutes,
    grants.GrantsRoutes,
    ops.OpsRoutes,
    audit.AuditRoutes,
    offline.OfflineRoutes,
    tasks.TaskRoutes,
    worker.GatewayWorker,
):
    name = "gateway"
