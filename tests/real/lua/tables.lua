-- Tables: array and hash parts, length, insert/remove/move/sort/unpack, metatables (__index,
-- __newindex, __call, __eq, __lt, __le, __concat, __len, __tostring, arithmetic), next/pairs.
local t = {}
for i = 1, 100 do t[i] = i * 3 end
print(#t, t[50], select("#", table.unpack(t)), table.unpack(t, 98))
table.insert(t, 1, "first"); table.insert(t, "last"); print(#t, t[1], t[2], t[#t])
print(table.remove(t, 1), table.remove(t), #t)
local m = table.move({ 1, 2, 3, 4, 5 }, 2, 4, 1); print(table.concat(m, " "))
local words = { "pear", "Apple", "fig", "banana", "cherry", "apple", "date" }
table.sort(words); print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local nums = {}
local seed = 12345
for i = 1, 2000 do seed = (seed * 1103515245 + 12345) % 2147483648; nums[i] = seed % 1000 end
table.sort(nums, function(a, b) return a > b end)
print(nums[1], nums[1000], nums[2000])
local sum = 0
for k, v in pairs({ 10, 20, 30, x = 1, y = 2 }) do if type(k) == "number" then sum = sum + v end end
print(sum, next({}), rawlen({ 1, 2, nil, 4 }) >= 2, rawequal(t, t))
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__mul = function(a, k) return vec(a.x * k, a.y * k) end
Vec.__unm = function(a) return vec(-a.x, -a.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__le = function(a, b) return a:len2() <= b:len2() end
Vec.__tostring = function(a) return "(" .. a.x .. "," .. a.y .. ")" end
Vec.__concat = function(a, b) return tostring(a) .. tostring(b) end
Vec.__len = function() return 2 end
Vec.__call = function(a, k) return a.x * k end
Vec.__idiv = function(a, k) return vec(a.x // k, a.y // k) end
Vec.__mod = function(a, k) return vec(a.x % k, a.y % k) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a * 3), tostring(-a), a == vec(1, 2), a < b, b <= a, a .. b, #a, a(10))
print(tostring(b // 2), tostring(b % 3))
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k .. "!" end,
  __newindex = function(_, k, v) log[#log + 1] = "set " .. k .. "=" .. tostring(v) end })
proxy.a = 1; local _ = proxy.b; print(table.concat(log, "; "), rawget(proxy, "a"))
local defaults = setmetatable({}, { __index = { color = "red", size = 10 } })
defaults.size = 20; print(defaults.color, defaults.size)
local ro = setmetatable({}, { __newindex = function() error("read-only table", 2) end })
print(pcall(function() ro.x = 1 end))
local holes = { 1, 2, 3 }; holes[5] = 5; holes[4] = 4; print(#holes)
local big = {}
for i = 1, 100000 do big["k" .. i] = i end
local n, total = 0, 0
for _, v in pairs(big) do n = n + 1; total = total + v end
print(n, total)
for i = 1, 100000, 2 do big["k" .. i] = nil end
n = 0; for _ in pairs(big) do n = n + 1 end; print(n)
print(select(-1, 1, 2, 3), select(2, "a", "b", "c"))
local packed = table.pack(1, nil, 3); print(packed.n, packed[3])
