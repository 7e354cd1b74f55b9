-- wrk script for scripts/reliability: a district user's scoped project list, cycling through a
-- few of the list page's filters; prints one machine-readable line at the end.
local token = os.getenv("HEZUO_TOKEN") or error("HEZUO_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

local paths = {
  "/api/v1/projects",
  "/api/v1/projects?page=2&per_page=20",
  "/api/v1/projects?stage=signed",
  "/api/v1/projects?year=2024&sort=investment&dir=desc",
  "/api/v1/projects?q=%E9%A1%B9%E7%9B%AE",
}
local i = 0

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RELIABILITY_WRK requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status))
end
