/* http/problem.c: see problem.h. The catalogue below is the single source of
 * every problem code's title and detail in Dutch and English. */
#include "http/problem.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "http/response.h"

typedef struct {
    const char *code;
    const char *title_nl;
    const char *title_en;
    const char *detail_nl;
    const char *detail_en;
} problem_text;

static const problem_text problem_catalogue[] = {
    {"not_found", "Niet gevonden", "Not found", "Dit adres of deze gegevens bestaan niet.",
     "This address or resource does not exist."},
    {"method_not_allowed", "Methode niet toegestaan", "Method not allowed",
     "Deze bewerking is op dit adres niet mogelijk.",
     "This method is not supported on this address."},
    {"malformed_json", "Ongeldige JSON", "Malformed JSON",
     "De inhoud van het verzoek is geen geldige JSON.", "The request body is not valid JSON."},
    {"duplicate_key", "Dubbel veld", "Duplicate key",
     "De JSON bevat een veld dat meer dan eens voorkomt.",
     "The JSON body contains a key more than once."},
    {"invalid_request", "Ongeldig verzoek", "Invalid request",
     "Het verzoek kan niet worden gelezen; zie de velden.",
     "The request could not be read; see the fields."},
    {"unsupported_media_type", "Verkeerd inhoudstype", "Unsupported media type",
     "Stuur de gegevens als application/json.", "Send the body as application/json."},
    {"payload_too_large", "Verzoek te groot", "Payload too large",
     "Het verzoek is groter dan toegestaan.", "The request body is larger than allowed."},
    {"validation_failed", "Controle mislukt", "Validation failed",
     "Een of meer gegevens voldoen niet aan de regels.", "One or more values break a rule."},
    {"unauthorized", "Niet ingelogd", "Not authenticated", "Log in om deze gegevens te gebruiken.",
     "Log in to use this resource."},
    {"token_invalid", "Ongeldige of verlopen sleutel", "Invalid or expired token",
     "De link of sleutel is ongeldig of verlopen.", "The link or token is invalid or expired."},
    {"forbidden", "Geen toegang", "Forbidden", "U heeft niet de rechten om dit te doen.",
     "You do not have the rights to do this."},
    {"precondition_failed", "Gegevens zijn gewijzigd", "Precondition failed",
     "De gegevens zijn intussen gewijzigd. Laad ze opnieuw en probeer het nog eens.",
     "The resource has changed meanwhile. Reload it and try again."},
    {"idempotency_key_reused", "Idempotency-Key hergebruikt", "Idempotency key reused",
     "Deze Idempotency-Key is al gebruikt voor een ander verzoek.",
     "This Idempotency-Key was already used for a different request."},
    {"too_many_attempts", "Te veel pogingen", "Too many attempts",
     "Te veel mislukte pogingen. Wacht even en probeer het opnieuw.",
     "Too many failed attempts. Wait a moment and try again."},
    {"too_many_exports", "Te veel exports tegelijk", "Too many exports at once",
     "U heeft al een aantal exports die nog worden gemaakt. Wacht tot die klaar zijn.",
     "Some of your exports are still being built. Wait until they are ready."},
    {"service_unavailable", "Tijdelijk niet beschikbaar", "Service unavailable",
     "De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.",
     "The service is temporarily unavailable. Try again later."},
    {"internal_error", "Interne fout", "Internal error",
     "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
     "Something went wrong on our side. Try again later."},
    {"invalid_credentials", "Inloggen mislukt", "Login failed",
     "De gebruikersnaam of het wachtwoord is onjuist.", "The username or password is incorrect."},
    {"mfa_invalid", "Code onjuist", "Invalid code", "De code is onjuist of al gebruikt.",
     "The code is incorrect or already used."},
    {"account_locked", "Account geblokkeerd", "Account locked",
     "Dit account is geblokkeerd. Neem contact op met uw beheerder.",
     "This account is locked. Contact your administrator."},
    {"code_invalid", "Code onjuist", "Invalid code", "De verificatiecode is onjuist of verlopen.",
     "The verification code is incorrect or expired."},
    {"password_rejected", "Wachtwoord geweigerd", "Password rejected", "Kies een ander wachtwoord.",
     "Choose another password."},
    {"username_taken", "Gebruikersnaam bezet", "Username taken",
     "Deze gebruikersnaam is al in gebruik.", "This username is already taken."},
    {"invalid_bsn", "Ongeldig BSN", "Invalid BSN",
     "Het burgerservicenummer voldoet niet aan de elfproef.",
     "The citizen service number fails the eleven test."},
    {"effective_date_out_of_range", "Datum buiten bereik", "Date out of range",
     "De datum ligt buiten de toegestane periode.", "The date lies outside the allowed period."},
    {"participant_dormant", "Deelnemer is slaper", "Participant not active",
     "Op een slaper of beëindigde deelnemer kunt u geen wijzigingen doorgeven.",
     "Changes cannot be made to a dormant or ended participant."},
    {"scheme_locked_by_batch", "Collectieve wijziging in verwerking", "Scheme locked by batch",
     "Er wordt een collectieve wijziging verwerkt. Probeer het later opnieuw.",
     "A batch for this scheme is being processed. Try again later."},
    {"participant_exists", "Deelnemer bestaat al", "Participant exists",
     "Deze persoon is al actief deelnemer in deze regeling.",
     "This person is already an active participant in this scheme."},
    {"last_administrator", "Laatste beheerder", "Last administrator",
     "De laatste actieve beheerder van een organisatie kan niet worden verwijderd.",
     "The last active administrator of an organisation cannot be removed."},
    {"conflict", "Conflict", "Conflict", "Het verzoek botst met de huidige gegevens.",
     "The request conflicts with the current state."},
    {"invalid_cursor", "Ongeldige cursor", "Invalid cursor", "De cursor hoort niet bij deze lijst.",
     "The cursor does not belong to this list."},
    {"participant_rejected", "Aanmelding afgewezen", "Registration rejected",
     "Deze aanmelding is afgewezen; wijzigingen zijn niet mogelijk.",
     "This registration was rejected; changes are not possible."},
    {"termination_already_registered", "Uitdiensttreding al doorgegeven",
     "Termination already registered",
     "Er is al een uitdiensttreding doorgegeven. Trek die eerst in als zij onjuist is.",
     "A termination is already registered. Cancel it first if it is wrong."},
    {"change_not_cancellable", "Wijziging kan niet worden ingetrokken",
     "Change cannot be cancelled",
     "Deze wijziging is al ingetrokken of afgewezen, of is een aanmelding met latere wijzigingen.",
     "This change was already cancelled or rejected, or is a registration with later changes."},
    {"review_not_pending", "Beoordeling niet open", "Review not pending",
     "Deze wijziging wacht niet (meer) op beoordeling.",
     "This change is not (or no longer) waiting for review."},
    {"export_not_ready", "Export nog niet klaar", "Export not ready",
     "Het exportbestand wordt nog gemaakt of is mislukt.",
     "The export file is still being built or has failed."},
    {"file_unreadable", "Bestand onleesbaar", "File unreadable",
     "Het bestand kan niet veilig worden gelezen. Sla het opnieuw op als XLSX of CSV UTF-8.",
     "The file cannot be read safely. Save it again as XLSX or CSV UTF-8."},
    {"batch_has_errors", "Bestand bevat fouten", "Batch has errors",
     "Het bestand bevat fouten. Verbeter ze en upload opnieuw, of verwerk alleen de goede regels.",
     "The file has errors. Correct them and upload again, or apply only the valid rows."},
    {"batch_not_submittable", "Al ingediend", "Batch not submittable",
     "Deze collectieve wijziging is al ingediend, verwerkt of verwijderd.",
     "This batch was already submitted, processed or discarded."},
    {"batch_not_discardable", "Kan niet worden verwijderd", "Batch not discardable",
     "Een ingediende of verwerkte collectieve wijziging kan niet worden verwijderd.",
     "A submitted or processed batch cannot be discarded."},
    {"batch_duplicate_file", "Bestand al geüpload", "File already uploaded",
     "Dit bestand is al geüpload en nog niet afgerond.",
     "This file was uploaded before and is not finished yet."},
    {"gone", "Niet meer beschikbaar", "Gone", "Dit bestand is verlopen en niet meer beschikbaar.",
     "This file has expired and is no longer available."},
    /* Documents (DESIGN.md §4.5). */
    {"unsupported_file_type", "Bestandstype niet toegestaan", "Unsupported file type",
     "Lever een PDF-, XLSX- of CSV-bestand aan; de inhoud van dit bestand is geen van deze.",
     "Upload a PDF, XLSX or CSV file; the content of this file is none of these."},
    {"main_administrator_ineligible", "Kan geen hoofdbeheerder worden",
     "Cannot become main administrator",
     "Alleen een actieve interne gebruiker met gebruikersbeheer kan hoofdbeheerder worden.",
     "Only an active internal user with user management can become main administrator."},
    {"not_external_user", "Geen externe gebruiker", "Not an external user",
     "Alleen voor een externe gebruiker is iemand verantwoordelijk.",
     "Only an external user has someone who answers for them."},
    {"range_not_satisfiable", "Bereik niet beschikbaar", "Range not satisfiable",
     "Het gevraagde deel van het bestand bestaat niet.",
     "The requested part of the file does not exist."},
    /* Reconciliations (DESIGN.md §4.6). */
    {"reconciliation_incomplete", "Naverrekening niet compleet", "Reconciliation incomplete",
     "Los eerst de genoemde punten op en lever de naverrekening dan opnieuw aan.",
     "Solve the problems listed first, then hand the reconciliation in again."},
    {"reconciliation_submitted", "Naverrekening al ingediend", "Reconciliation submitted",
     "Een ingediende naverrekening kan niet meer worden aangepast; vraag de verzekeraar haar te "
     "heropenen.",
     "A reconciliation that was handed in cannot be changed; ask the insurer to reopen it."},
    {"reconciliation_open", "Naverrekening staat open", "Reconciliation open",
     "Deze naverrekening is nog niet ingediend.", "This reconciliation has not been handed in."},
    {"reconciliation_exists", "Naverrekening bestaat al", "Reconciliation exists",
     "Voor deze regeling en dit jaar bestaat al een naverrekening.",
     "This scheme already has a reconciliation for that year."},
    {"sick_reports_closed", "Ziekmeldingen gesloten", "Sick reports closed",
     "Bij een no-claimverzekering kunnen geen ziekmeldingen meer worden toegevoegd.",
     "No sick reports can be added to a no-claim policy."},
    {"employee_exists", "Werknemer bestaat al", "Employee exists",
     "Deze werknemer (BSN) staat al in de naverrekening.",
     "This employee (BSN) is already in the reconciliation."},
    {"wage_file_invalid", "Loonbestand bevat fouten", "Wage file has errors",
     "Verbeter de genoemde regels en stuur het hele bestand opnieuw; er is niets gewijzigd.",
     "Correct the rows named and send the whole file again; nothing was changed."},
};

/* Field-level messages, keyed by field error code. */
static const problem_text field_catalogue[] = {
    {"required", NULL, NULL, "Dit veld is verplicht.", "This field is required."},
    {"invalid_type", NULL, NULL, "Dit veld heeft het verkeerde type.",
     "This field has the wrong type."},
    {"too_long", NULL, NULL, "Deze waarde is te lang.", "This value is too long."},
    {"invalid_format", NULL, NULL, "Deze waarde heeft niet de juiste vorm.",
     "This value is not in the right format."},
    {"invalid_value", NULL, NULL, "Deze waarde is niet toegestaan.", "This value is not allowed."},
    {"invalid_date", NULL, NULL, "Geef een geldige datum als JJJJ-MM-DD.",
     "Give a valid date as YYYY-MM-DD."},
    {"out_of_range", NULL, NULL, "Deze waarde valt buiten het toegestane bereik.",
     "This value is outside the allowed range."},
    {"invalid_bsn", NULL, NULL, "Dit BSN voldoet niet aan de elfproef.",
     "This BSN fails the eleven test."},
    {"invalid_email", NULL, NULL, "Geef een geldig e-mailadres.", "Give a valid e-mail address."},
    {"effective_date_out_of_range", NULL, NULL, "Deze datum ligt buiten de toegestane periode.",
     "This date lies outside the allowed period."},
    {"password_rejected", NULL, NULL, "Dit wachtwoord is niet toegestaan.",
     "This password is not allowed."},
    {"username_taken", NULL, NULL, "Deze gebruikersnaam is al in gebruik.",
     "This username is already taken."},
    {"unknown_id", NULL, NULL, "Deze verwijzing bestaat niet.", "This reference does not exist."},
    {"not_allowed", NULL, NULL, "U mag deze waarde niet toekennen.",
     "You may not grant this value."},
    {"immutable", NULL, NULL, "Deze waarde kan niet meer worden gewijzigd.",
     "This value cannot be changed."},
    {"already_exists", NULL, NULL, "Deze waarde is al in gebruik.",
     "This value is already in use."},
    {"not_unique", NULL, NULL, "Deze waarde is al in gebruik.", "This value is already in use."},
    {"too_short", NULL, NULL, "Deze waarde is te kort.", "This value is too short."},
    {"empty_file", NULL, NULL, "Het bestand is leeg.", "The file is empty."},
    {"unsupported_content", NULL, NULL,
     "De inhoud is geen PDF, XLSX of CSV (de bestandsnaam telt niet mee).",
     "The content is not PDF, XLSX or CSV (the file name does not count)."},
    {"checklist_not_confirmed", NULL, NULL, "Bevestig dat het bestand aan de checklist voldoet.",
     "Confirm that the file meets the checklist."},
    {"scheme_not_income", NULL, NULL, "Een naverrekening is er alleen voor inkomensregelingen.",
     "A reconciliation exists for income schemes only."},
    {"scheme_variant_missing", NULL, NULL,
     "De regeling heeft geen variant (stop-loss of no-claim).",
     "The scheme has no variant (stop-loss or no-claim)."},
    {"policy_start_missing", NULL, NULL, "De regeling heeft geen ingangsdatum.",
     "The scheme has no start date."},
    {"wage_cap_unknown", NULL, NULL,
     "Het maximum premieloon van dit jaar is onbekend: geef het op.",
     "The wage cap of this year is unknown: give it."},
    {"unknown_scheme", NULL, NULL, "Deze regeling bestaat niet.", "This scheme does not exist."},
    {"date_invalid", NULL, NULL, "Geef een geldige datum als JJJJ-MM-DD.",
     "Give a valid date as YYYY-MM-DD."},
    {"too_many_employments", NULL, NULL, "Geef hoogstens 32 dienstverbanden op.",
     "Give at most 32 employments."},
    {"sick_report_employee_unknown", NULL, NULL, "Deze werknemer staat niet in de naverrekening.",
     "This employee is not in the reconciliation."},
    {"ao_percentage_invalid", NULL, NULL, "Het AO-percentage ligt tussen 0,001 en 100.",
     "The AO percentage lies between 0.001 and 100."},
    {"atw_percentage_invalid", NULL, NULL, "Het ATW-percentage ligt tussen 0 en 100.",
     "The ATW percentage lies between 0 and 100."},
    {"not_a_duplicate", NULL, NULL, "Deze werknemers staan niet als mogelijk dubbel vermeld.",
     "These employees are not listed as likely duplicates."},
    {"same_employee", NULL, NULL, "Kies twee verschillende werknemers.",
     "Choose two different employees."},
    {"likely_duplicate", NULL, NULL,
     "Deze werknemer is mogelijk dubbel: voeg samen of bevestig dat het twee personen zijn.",
     "This employee may be a duplicate: merge, or confirm they are two people."},
};

static const problem_text *problem_lookup(const problem_text *table, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].code, code) == 0)
            return &table[i];
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int problem_code_known(const char *code)
{
    return problem_lookup(problem_catalogue, COUNT(problem_catalogue), code) != NULL;
}

static int lang_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

const char *problem_message(const char *lang, const char *code)
{
    const problem_text *t = problem_lookup(field_catalogue, COUNT(field_catalogue), code);
    if (!t)
        t = problem_lookup(problem_catalogue, COUNT(problem_catalogue), code);
    if (!t)
        return lang_en(lang) ? "This value is not valid." : "Deze waarde is niet geldig.";
    return lang_en(lang) ? t->detail_en : t->detail_nl;
}

void problem_init(problem *p, int status, const char *code)
{
    memset(p, 0, sizeof *p);
    p->status = status;
    snprintf(p->code, sizeof p->code, "%s", code);
}

void problem_add(problem *p, const char *lang, const char *field, const char *code,
                 const char *message)
{
    if (p->n_errors >= PROBLEM_MAX_ERRORS)
        return;
    problem_field_error *e = &p->errors[p->n_errors++];
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->code, sizeof e->code, "%s", code);
    snprintf(e->message, sizeof e->message, "%s", message ? message : problem_message(lang, code));
}

void problem_set_detail(problem *p, const char *detail)
{
    snprintf(p->detail, sizeof p->detail, "%s", detail);
}

/* The title of catalogue entry t in lang, or code when there is none. */
static const char *problem_title(const char *lang, const problem_text *t, const char *code)
{
    return t ? (lang_en(lang) ? t->title_en : t->title_nl) : code;
}

void problem_send(struct _u_response *response, const http_ctx *ctx, const problem *p)
{
    /* Whatever a handler made of it, a failure while the request's database
     * connection was lost is the database being away: 503, not 500. */
    problem lost;
    if (p->status == 500 && ctx && ctx->db && db_connection_lost(ctx->db)) {
        problem_init(&lost, 503, "service_unavailable");
        lost.retry_after = 5;
        p = &lost;
    }
    const char *lang = ctx ? ctx->lang : "nl";
    const problem_text *t = problem_lookup(problem_catalogue, COUNT(problem_catalogue), p->code);
    const char *title = problem_title(lang, t, p->code);
    const char *detail = p->detail[0] ? p->detail
                         : t          ? (lang_en(lang) ? t->detail_en : t->detail_nl)
                                      : "";
    char type[128];
    snprintf(type, sizeof type, "https://werkgeversportaal.example/problems/%s", p->code);
    json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", title, "status",
                             p->status, "detail", detail, "code", p->code);
    if (body && p->n_errors > 0) {
        json_t *errors = json_array();
        for (int i = 0; i < p->n_errors; i++)
            json_array_append_new(errors,
                                  json_pack("{s:s, s:s, s:s}", "field", p->errors[i].field, "code",
                                            p->errors[i].code, "message", p->errors[i].message));
        json_object_set_new(body, "errors", errors);
    }
    if (p->allow[0])
        http_set_header(response, "Allow", p->allow);
    /* A 503 always says when to come back (RFC 9110 §10.2.3), whichever
     * path found the database or a resource missing. */
    int retry_after = p->retry_after > 0 ? p->retry_after : p->status == 503 ? 5 : 0;
    if (retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", retry_after);
        http_set_header(response, "Retry-After", secs);
    }
    http_send_json_typed(response, (unsigned)p->status, body, "application/problem+json");
    json_decref(body);
}

void http_problem(struct _u_response *response, const http_ctx *ctx, int status, const char *code)
{
    problem p;
    problem_init(&p, status, code);
    problem_send(response, ctx, &p);
}

void http_field_problem(struct _u_response *response, const http_ctx *ctx, int status,
                        const char *code, const char *field, const char *field_code,
                        const char *message)
{
    problem p;
    problem_init(&p, status, code);
    problem_add(&p, ctx ? ctx->lang : "nl", field, field_code, message);
    if (message)
        problem_set_detail(&p, message);
    problem_send(response, ctx, &p);
}

void http_too_many(struct _u_response *response, const http_ctx *ctx, long retry_after)
{
    problem p;
    problem_init(&p, 429, "too_many_attempts");
    p.retry_after = (int)(retry_after > 0 ? retry_after : 1);
    problem_send(response, ctx, &p);
}

void http_problem_for(struct _u_response *response, const http_ctx *ctx, portal_result rc)
{
    if (rc == PORTAL_ERR_BUSY || rc == PORTAL_ERR_DATABASE) {
        problem p;
        problem_init(&p, 503, "service_unavailable");
        p.retry_after = rc == PORTAL_ERR_BUSY ? 1 : 5;
        problem_send(response, ctx, &p);
        return;
    }
    http_problem(response, ctx, 500, "internal_error");
}

int http_problem_list(struct _u_response *response, const http_ctx *ctx, const char *code,
                      const char *detail, json_t *errors, size_t count)
{
    const char *title =
        problem_title(ctx ? ctx->lang : "nl",
                      problem_lookup(problem_catalogue, COUNT(problem_catalogue), code), code);
    json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:s, s:O, s:I}", "type", "about:blank", "title",
                             title, "status", 422, "detail", detail, "code", code, "errors", errors,
                             "error_count", (json_int_t)count);
    if (!body)
        return 0;
    http_send_json_typed(response, 422, body, "application/problem+json");
    json_decref(body);
    return 1;
}
