-- Function calls: naive recursive Fibonacci and a closure-counting recursion (calls, returns
-- and upvalues in the interpreter's main loop).
local n = tonumber(arg[1]) or 32

local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end

local function counter()
  local c = 0
  return function(d) c = c + d; return c end
end

local function walk(depth, add)
  if depth == 0 then return add(1) end
  walk(depth - 1, add)
  return walk(depth - 1, add)
end

local total = 0
for k = math.max(n - 4, 0), n do total = total + fib(k) end
local add = counter()
print("fib sum", total, "walk", walk(math.max(n - 10, 1), add))
