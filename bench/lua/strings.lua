-- Strings: building with concatenation and string.format, table.concat, pattern matching with
-- gmatch/gsub/find, and string.byte/char.
local n = tonumber(arg[1]) or 180000

local parts = {}
for i = 1, n do
  parts[#parts + 1] = string.format("item%05d=%d;", i, (i * 7919) % 10007)
end
local s = table.concat(parts)

local count, total = 0, 0
for key, value in s:gmatch("(item%d+)=(%d+);") do
  count = count + 1
  total = total + tonumber(value)
end

local replaced, nrep = s:gsub("item(%d%d)(%d+)", "%2-%1")
local found, pos = 0, 1
while true do
  local a, b = replaced:find("77", pos, true)
  if not a then break end
  found, pos = found + 1, b + 1
end

local h = 0
for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) % 4294967296 end
local up = s:sub(1, 2000):upper():lower():rep(20)
print("len", #s, "matches", count, total, "replaced", nrep, "found", found, "hash", h, #up)
