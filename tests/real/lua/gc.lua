-- Garbage collection: full and step collections in both modes, weak keys/values, ephemerons,
-- finalizers (order, resurrection, on close), large allocation churn, string interning.
local function count_keys(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
print(collectgarbage("isrunning"), collectgarbage("count") > 0)
local weakv = setmetatable({}, { __mode = "v" })
local weakk = setmetatable({}, { __mode = "k" })
local strong = {}
for i = 1, 100 do
  local o = { i }
  weakv[i] = o; weakk[o] = i
  if i % 10 == 0 then strong[#strong + 1] = o end
end
collectgarbage(); collectgarbage()
print(count_keys(weakv), count_keys(weakk))
local eph = setmetatable({}, { __mode = "k" })
do local k = {}; eph[k] = { ref = k } end
collectgarbage(); print(count_keys(eph))
local order = {}
for i = 1, 5 do setmetatable({}, { __gc = function() order[#order + 1] = i end }) end
collectgarbage(); collectgarbage()
table.sort(order); print(table.concat(order, ","))
local resurrected
do setmetatable({ name = "zombie" }, { __gc = function(o) resurrected = o end }) end
collectgarbage(); print(resurrected and resurrected.name)
local before = collectgarbage("count")
local junk = {}
for i = 1, 50000 do junk[i] = { i, tostring(i), { i } } end
local mid = collectgarbage("count")
junk = nil
collectgarbage(); collectgarbage()
local after = collectgarbage("count")
print(mid > before + 1000, after < mid / 2)
print(collectgarbage("incremental", 200, 200, 13))
for _ = 1, 20 do local t = {} for i = 1, 1000 do t[i] = { i } end collectgarbage("step", 0) end
print(collectgarbage("generational", 20, 100))
for _ = 1, 20 do local t = {} for i = 1, 1000 do t[i] = ("s" .. i):rep(3) end collectgarbage("step", 0) end
collectgarbage()
print(collectgarbage("incremental"))
collectgarbage("stop"); print(collectgarbage("isrunning")); collectgarbage("restart"); print(collectgarbage("isrunning"))
local cache = setmetatable({}, { __mode = "kv" })
local function memo(n) local v = cache[n] if not v then v = { n * n } cache[n] = v end return v end
local s = 0
for i = 1, 10000 do s = s + memo(i % 100)[1] end
print(s)
local a, b = "interned" .. "string", "interned" .. "string"
print(a == b, rawequal(a, b))
local chain = nil
for i = 1, 100000 do chain = { next = chain, v = i } end
local n = 0; while chain do n = n + chain.v; chain = chain.next end
print(n)
collectgarbage()
setmetatable({}, { __gc = function() print("finalizer at exit") end })
print("end of script")
