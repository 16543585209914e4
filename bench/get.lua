-- GET the URL wrk was given (a list page, a participant, /api/v1/me) with
-- the access token from the environment.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")
