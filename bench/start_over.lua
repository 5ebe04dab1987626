-- wrk script for bench/throughput.py: signed-in citizens start the screener
-- again (POST /eligibility/restart), then /eligibility/next reads their facts
-- from the registry (a person and a household) and stores them in the session.
--
-- BENCH_SESSIONS names a file of "cookie csrf-token" lines; the wrk argument
-- after "--" is the thread count. Each thread takes its share of sessions and
-- restarts all of them before it asks /next for any, so a session's restart
-- has long been answered when its /next is sent.

local all = {}
for line in io.lines(os.getenv("BENCH_SESSIONS")) do
  local cookie, token = line:match("^(%S+) (%S+)$")
  table.insert(all, { cookie = cookie, token = token })
end

local created = 0
function setup(thread)
  thread:set("id", created)
  created = created + 1
end

local mine, step = {}, 0
function init(args)
  local threads = tonumber(args[1])
  for index, session in ipairs(all) do
    if (index - 1) % threads == id then
      table.insert(mine, session)
    end
  end
end

function request()
  local count = #mine
  local session = mine[step % count + 1]
  local restarting = math.floor(step / count) % 2 == 0
  step = step + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Cookie"] = "portal_session=" .. session.cookie
  if restarting then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "/eligibility/restart", headers, "csrf_token=" .. session.token)
  end
  return wrk.format("GET", "/eligibility/next", headers)
end
