-- wrk script: each request submits a new case (distinct case numbers per thread and request), so
-- the POSTs measure the rules check, the group-committed durable append and read-your-writes.
-- Usage (BASE: first case number, distinct per run): TOKEN=… ITEM=LZH-C-0001 BASE=600000 wrk -t N -c N -d 10s -s Benchmarks/http/post-events.lua http://127.0.0.1:8080
local counter = 0
local threads = 0

function setup(thread)
  thread:set("base", tonumber(os.getenv("BASE") or "500000") + threads * 20000)
  threads = threads + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"type":"submitted","at":"2023-12-29T10:00:00+08:00","data":{"item":"' .. (os.getenv("ITEM") or "") ..
    '","channel":"window","applicant":{"kind":"person","ref":"P-bench"}}}'
end

function request()
  counter = counter + 1
  return wrk.format(nil, string.format("/cases/LZH-2023-%06d/events", base + counter))
end
