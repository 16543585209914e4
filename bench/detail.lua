-- GET /api/v1/participants/{id} for a random participant: ids one per line
-- in IDS_FILE, access token in ACCESS_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")

local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("seed", threads)
end

local ids = {}
function init(args)
   for line in io.lines(os.getenv("IDS_FILE")) do
      ids[#ids + 1] = line
   end
   math.randomseed(os.time() * 1000 + seed)
end

function request()
   return wrk.format("GET", "/api/v1/participants/" .. ids[math.random(#ids)])
end
