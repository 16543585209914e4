/* routes.c: see routes.h. Grouped by resource, in the order of DESIGN.md §4. */
#include "routes.h"

#include "resources/account_care.h"
#include "resources/activation.h"
#include "resources/api_tokens.h"
#include "resources/audit_events.h"
#include "resources/auth.h"
#include "resources/batches.h"
#include "resources/exports.h"
#include "resources/health.h"
#include "resources/jwks.h"
#include "resources/mandates.h"
#include "resources/me.h"
#include "resources/metrics.h"
#include "resources/organisations.h"
#include "resources/participants.h"
#include "resources/payroll_periods.h"
#include "resources/changes.h"
#include "resources/documents.h"
#include "resources/retention.h"
#include "resources/reconciliations.h"
#include "resources/reconciliation_duplicates.h"
#include "resources/reconciliation_files.h"
#include "resources/reconciliation_open_all.h"
#include "resources/reviews.h"
#include "resources/recovery.h"
#include "resources/rights.h"
#include "resources/schemes.h"
#include "resources/users.h"

/* ROUTE_STANDBY_READ marks the GETs that only read (a hot standby may
 * answer them, README operations). The participant detail (its BSN view is
 * audited), documents (their read marks) and every download stay on the
 * primary. */
static const http_route route_table[] = {
    {"GET", "/healthz", health_live, ROUTE_PUBLIC},
    {"GET", "/readyz", health_ready, ROUTE_PUBLIC},
    {"GET", "/api/v1/openapi.yaml", health_openapi, ROUTE_PUBLIC},
    {"GET", "/api/v1/openapi.json", health_openapi_json, ROUTE_PUBLIC},
    {"GET", "/.well-known/jwks.json", jwks_get, ROUTE_PUBLIC},
    /* Operators only: deploy/nginx.conf does not pass it on. */
    {"GET", "/metrics", metrics_get, ROUTE_PUBLIC},

    {"POST", "/api/v1/activation/verification-code", activation_send_code_handler, ROUTE_PUBLIC},
    {"POST", "/api/v1/activation", activation_complete_handler, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/login", auth_login, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/mfa", auth_mfa, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/refresh", auth_refresh, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/logout", auth_logout, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/unlock", auth_unlock, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/password-reset", recovery_request_reset, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/password-reset/confirm", recovery_confirm_reset, ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/username-reminder", recovery_username_reminder, ROUTE_PUBLIC},

    {"GET", "/api/v1/me", me_get, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"PATCH", "/api/v1/me", me_patch, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/me/email/confirm", me_confirm_email, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/me/password", me_change_password, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/me/recovery-codes", me_recovery_codes, ROUTE_SESSION_ONLY},

    /* Organisations, users and the rights catalogue. Accounts and mandates
     * outlive an API token, so only a signed-in person makes or changes them
     * (and the company details). */
    {"GET", "/api/v1/organisation", organisation_own_get, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"PATCH", "/api/v1/organisation", organisation_own_patch, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/organisations", organisations_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/organisations", organisations_create_handler, ROUTE_AUTH},
    {"GET", "/api/v1/organisations/:id", organisations_get_handler, ROUTE_AUTH},
    {"PATCH", "/api/v1/organisations/:id", organisations_patch_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/intermediaries", intermediaries_list_handler, ROUTE_AUTH},
    {"GET", "/api/v1/rights", rights_list_handler, ROUTE_AUTH},
    {"GET", "/api/v1/users", users_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/users", users_create_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/users/:id", users_get_handler, ROUTE_AUTH},
    {"PATCH", "/api/v1/users/:id", users_patch_handler, ROUTE_SESSION_ONLY},
    {"DELETE", "/api/v1/users/:id", users_delete_handler, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/users/:id/invitation", users_invitation_handler, ROUTE_SESSION_ONLY},

    /* Schemes, mandates, API tokens and the audit log. */
    {"GET", "/api/v1/schemes", schemes_list_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"POST", "/api/v1/schemes", schemes_create_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/schemes/:id", schemes_get_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"PATCH", "/api/v1/schemes/:id", schemes_patch_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/mandates", mandates_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/mandates", mandates_create_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/mandates/:id", mandates_get_handler, ROUTE_AUTH},
    {"DELETE", "/api/v1/mandates/:id", mandates_delete_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/api-tokens", api_tokens_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/api-tokens", api_tokens_create_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/api-tokens/:id", api_tokens_get_handler, ROUTE_AUTH},
    {"DELETE", "/api/v1/api-tokens/:id", api_tokens_delete_handler, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/audit-events", audit_events_list_handler, ROUTE_AUTH},

    /* Participants, changes and reviews. */
    {"GET", "/api/v1/participants", participants_list_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"POST", "/api/v1/participants", participants_create_handler, ROUTE_AUTH},
    {"GET", "/api/v1/participants/:id", participants_get_handler, ROUTE_AUTH},
    {"GET", "/api/v1/participants/:id/changes", changes_history_handler,
     ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"POST", "/api/v1/participants/:id/changes", changes_create_handler, ROUTE_AUTH},
    {"GET", "/api/v1/changes", changes_submitted_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"GET", "/api/v1/changes/:id", changes_get_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"POST", "/api/v1/changes/:id/cancel", changes_cancel_handler, ROUTE_AUTH},
    {"GET", "/api/v1/reviews", reviews_list_handler, ROUTE_AUTH | ROUTE_STANDBY_READ},
    {"POST", "/api/v1/reviews/:id/approve", reviews_approve_handler, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/reviews/:id/reject", reviews_reject_handler, ROUTE_SESSION_ONLY},

    /* Exports. */
    {"GET", "/api/v1/exports", exports_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/exports", exports_create_handler, ROUTE_AUTH},
    {"GET", "/api/v1/exports/:id", exports_get_handler, ROUTE_AUTH},
    {"GET", "/api/v1/exports/:id/file", exports_file_handler, ROUTE_AUTH},

    /* Documents: staff publish by upload (20 MiB file, spooled to disk). */
    {"GET", "/api/v1/documents", documents_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/documents", documents_create_handler,
     ROUTE_AUTH | ROUTE_UPLOAD_MIB(DOCUMENTS_UPLOAD_MIB)},
    {"GET", "/api/v1/documents/:id", documents_get_handler, ROUTE_AUTH},
    {"DELETE", "/api/v1/documents/:id", documents_delete_handler, ROUTE_AUTH},
    {"GET", "/api/v1/documents/:id/file", documents_file_handler, ROUTE_AUTH},

    /* Account care by administrators and staff (a signed-in person). */
    {"POST", "/api/v1/users/:id/second-factor-reset", account_care_second_factor_handler,
     ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/users/:id/login-release", account_care_release_handler, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/users/:id/main-administrator", account_care_main_admin_handler,
     ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/users/:id/responsibility", account_care_responsibility_handler, ROUTE_AUTH},
    {"POST", "/api/v1/users/:id/responsibility", account_care_hand_over_handler,
     ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/external-users", account_care_external_users_handler, ROUTE_AUTH},

    /* Privacy retention of former participants, per scheme. */
    {"GET", "/api/v1/schemes/:id/retention", retention_get_handler, ROUTE_AUTH},
    {"PUT", "/api/v1/schemes/:id/retention", retention_put_handler, ROUTE_SESSION_ONLY},
    /* Collective changes (batches). */
    {"GET", "/api/v1/batches", batches_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/batches", batches_create_handler,
     ROUTE_AUTH | ROUTE_UPLOAD_MIB(BATCHES_UPLOAD_MIB)},
    {"GET", "/api/v1/batches/:id", batches_get_handler, ROUTE_AUTH},
    {"GET", "/api/v1/batches/:id/errors", batches_errors_handler, ROUTE_AUTH},
    {"POST", "/api/v1/batches/:id/submit", batches_submit_handler, ROUTE_AUTH},
    {"POST", "/api/v1/batches/:id/discard", batches_discard_handler, ROUTE_AUTH},
    {"GET", "/api/v1/batches/:id/errors.xlsx", batches_errors_xlsx_handler, ROUTE_AUTH},
    {"GET", "/api/v1/schemes/:id/templates/salary-change.xlsx",
     batches_template_salary_xlsx_handler, ROUTE_AUTH},
    {"GET", "/api/v1/schemes/:id/templates/salary-change.csv", batches_template_salary_csv_handler,
     ROUTE_AUTH},
    {"GET", "/api/v1/schemes/:id/templates/new-participants.xlsx",
     batches_template_new_xlsx_handler, ROUTE_AUTH},
    {"GET", "/api/v1/schemes/:id/templates/new-participants.csv", batches_template_new_csv_handler,
     ROUTE_AUTH},

    /* Reconciliations (naverrekening): evidence uploads up to 20 MiB, spooled. */
    {"GET", "/api/v1/reconciliations", reconciliations_list_handler, ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations", reconciliations_create_handler, ROUTE_AUTH},
    {"GET", "/api/v1/reconciliations/:id", reconciliations_get_handler, ROUTE_AUTH},
    {"GET", "/api/v1/reconciliations/:id/employees", reconciliations_employees_handler, ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/employees", reconciliations_employee_create_handler,
     ROUTE_AUTH},
    {"PATCH", "/api/v1/reconciliations/:id/employees/:employee_id",
     reconciliations_employee_patch_handler, ROUTE_AUTH},
    {"GET", "/api/v1/reconciliations/:id/sick-reports", reconciliations_sick_reports_handler,
     ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/sick-reports", reconciliations_sick_report_create_handler,
     ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/evidence", reconciliations_evidence_handler,
     ROUTE_AUTH | ROUTE_UPLOAD_MIB(RECONCILIATIONS_UPLOAD_MIB)},
    {"POST", "/api/v1/reconciliations/:id/submit", reconciliations_submit_handler, ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/reopen", reconciliations_reopen_handler, ROUTE_AUTH},
    /* Reconciliation: likely duplicates, wage files, opening for every scheme, evidence files. */
    {"GET", "/api/v1/reconciliations/:id/duplicates", reconciliations_duplicates_handler,
     ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/duplicates/merge",
     reconciliations_duplicates_merge_handler, ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/duplicates/dismiss",
     reconciliations_duplicates_dismiss_handler, ROUTE_AUTH},
    {"POST", "/api/v1/reconciliations/:id/wages", reconciliations_wages_handler,
     ROUTE_AUTH | ROUTE_UPLOAD_MIB(RECONCILIATION_WAGES_UPLOAD_MIB)},
    {"POST", "/api/v1/reconciliations/bulk", reconciliations_bulk_handler, ROUTE_AUTH},
    {"GET", "/api/v1/reconciliations/:id/evidence/:evidence_id",
     reconciliations_evidence_file_handler, ROUTE_AUTH},

    /* Payroll sync: a period's snapshot as JSON or CSV; large ones as a spooled upload. */
    {"GET", "/api/v1/schemes/:id/payroll-periods", payroll_periods_list_handler, ROUTE_AUTH},
    {"GET", "/api/v1/schemes/:id/payroll-periods/:period", payroll_periods_get_handler, ROUTE_AUTH},
    {"PUT", "/api/v1/schemes/:id/payroll-periods/:period", payroll_periods_put_handler,
     ROUTE_AUTH | ROUTE_UPLOAD_MIB(PAYROLL_BODY_UPLOAD_MIB)},
};

const http_route *routes_table(size_t *count)
{
    *count = sizeof route_table / sizeof route_table[0];
    return route_table;
}
