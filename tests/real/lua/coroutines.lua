-- Coroutines: generators, passing values both ways, status, wrap, yield across pcall, errors
-- inside coroutines, close, deep recursion inside a coroutine, many coroutines alive at once.
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end return "done" end)
end
local g = gen(4)
for _ = 1, 5 do print(g()) end
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "end", a + b + c + d + e
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, 10))
print(coroutine.resume(co, 100, 1000))
print(coroutine.status(co), coroutine.resume(co))
local bad = coroutine.create(function() local x = nil; return x.field end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local inner = coroutine.wrap(function()
  local ok, err = pcall(function()
    coroutine.yield("yield inside pcall")
    error("raised after yield")
  end)
  coroutine.yield("pcall returned " .. tostring(ok) .. ": " .. tostring(err))
  return "finished"
end)
print(inner()); print(inner()); print(inner())
print(coroutine.isyieldable(), type(coroutine.running()), select(2, coroutine.running()))
local function deep(n) if n == 0 then coroutine.yield("bottom") return 0 end return 1 + deep(n - 1) end
local d = coroutine.create(function() return deep(10000) end)
print(coroutine.resume(d)); print(coroutine.resume(d))
local cos = {}
for i = 1, 1000 do
  cos[i] = coroutine.create(function(x) while true do x = coroutine.yield(x + i) end end)
end
local total = 0
for round = 1, 10 do
  for i = 1, #cos do local _, v = coroutine.resume(cos[i], round); total = total + v end
end
print("total", total)
local closable = coroutine.create(function() local _ <close> = setmetatable({}, { __close = function() print("closed var") end }); coroutine.yield(1) end)
coroutine.resume(closable)
print(coroutine.close(closable), coroutine.status(closable))
local function producer() return coroutine.wrap(function() for w in ("alpha beta gamma delta"):gmatch("%a+") do coroutine.yield(w) end end) end
local function filter(src) return coroutine.wrap(function() for w in src do if #w > 4 then coroutine.yield(w:upper()) end end end) end
for w in filter(producer()) do io.write(w, " ") end print()
print(pcall(coroutine.resume, coroutine.running()))
print(select(2, coroutine.resume(coroutine.create(function() return coroutine.resume(coroutine.running()) end))))
