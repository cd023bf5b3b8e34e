-- POST /api/v1/contacts with a unique body per request: a varied name, a unique e-mail and a unique valid
-- mobile number +1 312 2XX XXXX (area code 312 is not used by the seed, so numbers never collide with it).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local firsts = { "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Wei", "Priya", "Kwame",
  "Fatima", "Hiro", "Lena", "Omar", "Chloe", "Diego", "Aisha", "Lucas", "Mei", "Ivan" }
local lasts = { "Garcia", "Nguyen", "Okafor", "Schmidt", "Rossi", "Kowalski", "Haddad", "Tanaka", "Patel", "Brown",
  "Johansson", "Dubois", "Moreau", "Silva", "Cohen", "Murphy", "Kim", "Novak", "Fischer", "Yilmaz" }

local n, run, headers
function init(args)
  -- wrk.format replaces wrk.headers (the -H options) with the table it is given: copy them, then add the body's type.
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
  n = 0
  -- A run id keeps bodies unique across the warm-up and the measured run (they are separate wrk processes).
  run = tonumber(args[1] or "0") or 0
end

function request()
  n = n + 1
  -- g is unique per (run, thread, request) for run 0..4, thread 0..1 and under 100,000 requests a thread.
  local g = ((run * 2 + tid) * 100000 + n) % 1000000
  local exch = 200 + math.floor(g / 10000)
  local line = g % 10000
  local first = firsts[(g % #firsts) + 1]
  local last = lasts[(math.floor(g / #firsts) % #lasts) + 1]
  local body = string.format(
    '{"firstName":"%s","lastName":"%s","title":"Analyst","emails":[{"address":"%s.%s.r%dt%dn%d@load.example"}],' ..
    '"phones":[{"number":"+1 312 %03d %04d","type":"mobile"}]}',
    first, last, string.lower(first), string.lower(last), run, tid, n, exch, line)
  return wrk.format("POST", "/api/v1/contacts", headers, body)
end
