-- The requests of bench/costs.sh, one kind a run, chosen by the first argument after `--`:
--   get [QUERY]    GET the path (plus QUERY) with the API key
--   page           GET the path without credentials (a recipient opening a link)
--   envelope       POST the client-encrypted secret in BENCH_ENVELOPE_FILE with the API key
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local method, body, query, headers = "GET", nil, "", {}
function init(args)
  local kind = args[1] or "get"
  if kind ~= "page" then headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") end
  if kind == "get" then
    query = args[2] or ""
  elseif kind == "envelope" then
    local f = assert(io.open(os.getenv("BENCH_ENVELOPE_FILE")))
    method, body = "POST", f:read("*a")
    f:close()
  elseif kind ~= "page" then
    error("costs.lua: unknown kind " .. kind)
  end
  if body then headers["Content-Type"] = "application/json" end
end

function request()
  return wrk.format(method, wrk.path .. query, headers, body)
end
