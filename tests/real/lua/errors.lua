-- Errors: error with tables and levels, pcall/xpcall with tracebacks, error in message
-- handlers, runtime errors' messages, assert, to-be-closed variables on error, stack overflow.
print(pcall(error, "plain"))
print(pcall(error, "level 0", 0))
print(select(2, pcall(error, { code = 42 })).code)
print(select(2, pcall(error, setmetatable({}, { __tostring = function() return "custom" end }))))
local function lvl2() error("from lvl2", 2) end
local function caller() lvl2() end
print(pcall(caller))
print(pcall(function() local t = nil; return t.x end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #5 end))
print(pcall(function() return ("x") < 1 end))
print(pcall(function() undefined_function() end))
print(pcall(function() local s = "a"; return s:nomethod() end))
print(pcall(string.rep, "x", -1), pcall(string.sub))
print(pcall(assert, false, "assert message"), pcall(assert, nil), pcall(assert, 1, 2))
print(xpcall(function() error("with handler") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
local function handler(m) return debug.traceback("traceback of: " .. tostring(m), 1) end
local function f3() error("deep error") end
local function f2() f3() end
local function f1() f2() end
local ok, tb = xpcall(f1, handler)
print(ok); print(tb)
print(xpcall(function() error("first") end, function() error("in handler") end))
local function rec(n) return rec(n + 1) + 1 end
local ok2, msg = pcall(rec, 1)
print(ok2, (msg:gsub("^.-:%d+: ", "")))
local depth = 0
local function count() depth = depth + 1; count() end
print(pcall(count), depth > 1000)
do
  local ok3, err = pcall(function()
    local _ <close> = setmetatable({}, { __close = function(_, e) print("closing with", e) end })
    error("error while open")
  end)
  print(ok3, err)
end
print(pcall(setmetatable({}, { __call = function(_, x) error("call " .. x) end }), "meta"))
print(select("#", pcall(error)))
local co = coroutine.create(function() error({ in_co = true }) end)
local okc, e = coroutine.resume(co); print(okc, type(e), e.in_co)
print(debug.traceback("msg", 1):match("^msg\nstack traceback:") ~= nil)
print(string.format("%s", select(2, pcall(load("return 1 +")))))
print(load("syntax error here"))
print(type(load(function() return nil end)))
local env = { x = 5 }
print(load("return x", "chunk", "t", env)(), pcall(load("y = 1", "=named", "t", {})))
error("uncaught at the end")
