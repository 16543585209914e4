"""Runs the participant rows of the authorization matrix (authz_participants:
ROWS and SETUP_ROWS) for every kind of caller of test_authz_matrix, with the
participants and changes prepare() registers. Cross-organisation and
out-of-scope access is 404, a visible scheme without the right 403."""
from authz_participants import ROWS, SETUP_ROWS, formatted, prepare
from test_authz_matrix import CALLERS, matrix_world  # noqa: F401 (fixture)


def test_participant_rows_of_the_authorization_matrix(api, matrix_world):  # noqa: F811
    callers, ids = matrix_world
    from org_helpers import world_of
    w = world_of(api, None, None, None)
    all_ids = dict(ids, **prepare(w))
    mismatches = []
    for method, path, body, expected in formatted(ROWS + SETUP_ROWS, all_ids):
        for name in CALLERS:
            if name not in expected:
                continue
            kw = {"json": body} if body is not None else {}
            r = callers[name].request(method, path, **kw)
            if r.status_code != expected[name]:
                mismatches.append(f"{method} {path} as {name}: {r.status_code} "
                                  f"(expected {expected[name]}) {r.text[:160]}")
    assert not mismatches, "\n".join(mismatches)
