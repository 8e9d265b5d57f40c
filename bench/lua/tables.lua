-- Tables: array appends and reads, string-keyed hash inserts, lookups and deletes, and
-- table.sort with a Lua comparison function.
local n = tonumber(arg[1]) or 100000

local seed = 12345
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local arr = {}
for i = 1, n do arr[i] = rand(1000000) end
table.sort(arr, function(a, b) return a > b end)
local ordered = true
for i = 2, n do if arr[i - 1] < arr[i] then ordered = false end end

local map, hits = {}, 0
for i = 1, n do map["k" .. rand(n)] = i end
for i = 1, n do if map["k" .. i] then hits = hits + 1 end end
for i = 1, n, 2 do map["k" .. i] = nil end
local left = 0
for _ in pairs(map) do left = left + 1 end

local sum = 0
for round = 1, 10 do
  for i = 1, n do sum = (sum + arr[i] * round) % 1000000007 end
end
print("ordered", ordered, "hits", hits, "left", left, "sum", sum)
