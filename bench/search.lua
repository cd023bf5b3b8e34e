-- GET /api/v1/contacts?search=<term>, rotating through the terms given after `--` (already URL-encoded).
-- Each thread starts at a different offset so the connections do not ask for the same term in lock step.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local threads = 0
function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end

local terms, i
function init(args)
  terms = args
  if #terms == 0 then error("search.lua needs search terms after --") end
  i = offset or 0
end

function request()
  i = i + 1
  return wrk.format("GET", "/api/v1/contacts?search=" .. terms[(i % #terms) + 1])
end
