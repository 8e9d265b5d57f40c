-- Objects: metatables with __index classes and inheritance, method calls, __add and __eq
-- metamethods, and coroutines passing values back and forth.
local n = tonumber(arg[1]) or 400000

local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec:dot(o) return self.x * o.x + self.y * o.y end

local Particle = setmetatable({}, {__index = Vec})
Particle.__index = Particle
Particle.__add = Vec.__add
function Particle.new(x, y, m)
  local p = Vec.new(x, y)
  p.m = m
  return setmetatable(p, Particle)
end
function Particle:energy() return self.m * self:dot(self) end

local acc, e, same = Vec.new(0, 0), 0, 0
for i = 1, n do
  local p = Particle.new(i % 17, i % 23, i % 5 + 1)
  acc = acc + p
  e = (e + p:energy()) % 1000003
  if p == Vec.new(i % 17, i % 23) then same = same + 1 end
end

local gen = coroutine.wrap(function()
  for i = 1, n // 4 do coroutine.yield(i * i % 1009) end
  return -1
end)
local csum = 0
while true do
  local v = gen()
  if v < 0 then break end
  csum = csum + v
end
print("acc", acc.x, acc.y, "energy", e, "same", same, "coroutine", csum)
