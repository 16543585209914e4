/*
 * resources/payroll_periods.h: /api/v1/schemes/{id}/payroll-periods, the
 * payroll sync (DESIGN.md §4.7, workflows/payroll_periods.h): PUT of one
 * period's snapshot, the list of received periods, one period with its
 * feedback per employment.
 */
#ifndef PORTAL_RESOURCES_PAYROLL_PERIODS_H
#define PORTAL_RESOURCES_PAYROLL_PERIODS_H

#include "http/payroll_body.h"
#include "http/router.h"

void payroll_periods_put_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);
void payroll_periods_list_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);
void payroll_periods_get_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);

#endif
