-- GET the URL wrk was given with the access token from the environment,
-- each connection pausing DELAY_MS (+-50%, at random) before every request:
-- a load below saturation, to see the latency a request meets when it does
-- not queue behind 31 others.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")

local pause = tonumber(os.getenv("DELAY_MS"))
local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("seed", threads)
end

function init(args)
   math.randomseed(os.time() * 1000 + seed)
end

function delay()
   return math.floor(pause * (0.5 + math.random()))
end
