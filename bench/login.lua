-- POST /api/v1/auth/login with a valid password: every request costs one
-- argon2id verification (and answers an mfa_token).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"werkgever.hr","password":"Demo-Werkgeversportaal-2026"}'
