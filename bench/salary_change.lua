-- POST /api/v1/participants/{id}/changes: a salary change dated TODAY (so it
-- is processed directly) for a random participant from IDS_FILE (active
-- ones), so the changes spread over many rows instead of queueing on one
-- participant's lock. Access token in ACCESS_TOKEN.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("seed", threads)
end

local ids = {}
local today = os.getenv("TODAY")
function init(args)
   for line in io.lines(os.getenv("IDS_FILE")) do
      ids[#ids + 1] = line
   end
   math.randomseed(os.time() * 1000 + seed)
end

function request()
   local id = ids[math.random(#ids)]
   local salary = string.format("%d.%02d", math.random(28000, 95000), math.random(0, 99))
   local body = '{"type":"salary_change","effective_date":"' .. today .. '","salary":"' .. salary .. '"}'
   return wrk.format(nil, "/api/v1/participants/" .. id .. "/changes", nil, body)
end
