-- Numbers: integer and float arithmetic, overflow wrap-around, conversions, %.17g output,
-- math library (deterministic functions only; math.random with a fixed seed).
local function g(x) return string.format("%.17g", x) end
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.mininteger - 1)
print(math.maxinteger * 2, math.mininteger * -1, -math.mininteger, math.mininteger // -1, math.mininteger % -1)
print(9007199254740993, 2^53 + 1, 1 << 63, 1 << 64, -1 >> 1, 5 & 3, 5 | 3, 5 ~ 3, ~0, 3 << -1)
print(7 // 2, -7 // 2, 7 // -2, 7.0 // 2, -7 % 3, 7 % -3, -7.5 % 2, 5 % math.huge, -5 % math.huge)
print(g(0.1 + 0.2), g(1 / 3), g(2 / 3), g(1e308 * 10), g(-1e308 * 10), g(5e-324), g(2.2250738585072014e-308 / 2))
print(g(math.pi), g(math.exp(1)), g(math.sqrt(2)), g(math.log(10)), g(math.log(8, 2)), g(math.log(100, 10)))
print(g(math.sin(1)), g(math.cos(1)), g(math.tan(1)), g(math.asin(0.5)), g(math.acos(0.5)), g(math.atan(1, 2)))
print(g(math.floor(-3.5)), g(math.ceil(-3.5)), math.floor(3.7), math.ceil(3.2), math.abs(math.mininteger), math.abs(-0.0))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), g(math.fmod(7.5, 2)), math.modf(3.7), math.modf(-3.7))
print(math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.ult(1, -1), math.type(1), math.type(1.0), math.type("1"))
print(1 == 1.0, math.huge, -math.huge, g(0 / 0) == g(0 / 0), 0 / 0 ~= 0 / 0, 3 / 0, -3 / 0)
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(1.0 // 0, -1 % 0.0, 2^1023 * 2, 2^-1074, 2^-1075)
print(string.format("%.17g %.17g %.17g", 1e22, 1e23, 123456789.123456789))
print(string.format("%.0f %.1f %.2f %.3f", 0.5, 0.25, 1.005, 2.0005))
print(string.format("%5.3g|%-12.6e|%G", 0.0001234, 6.02214076e23, 1e-10))
print(tostring(3) == "3", tostring(3.0), tostring(-0.0), tostring(1e100), 2^63 == math.maxinteger + 1.0)
print(math.tointeger(2^53), math.tointeger("8"), 3 | 0, pcall(function() return 3.5 | 0 end))
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5))
print(8 // 3 * 3 + 8 % 3, 2^0.5 == math.sqrt(2), 10 // 3.0, 1e15 + 0.3)
local acc = 0
for i = 1, 1000000 do acc = acc + i * i % 7 end
print(acc)
local f = 1.0
for i = 1, 170 do f = f * i end
print(g(f), g(f * 171))
local h = 0
for i = 1, 100000 do h = (h * 31 + i) & 0xffffffffffff end
print(h, h % 1000003, (h * h) // 7)
math.randomseed(42)
local r = {}
for i = 1, 5 do r[i] = math.random(1, 100) end
print(table.concat(r, " "), g(math.random()), math.random(0) ~= nil)
math.randomseed(42); print(math.random(1, 100) == r[1])
for _, x in ipairs({ 0.5, 1.5, 2.5, -0.5, -1.5, 1e300, -1e-300 }) do io.write(g(x * 3), " ", math.floor(x + 0.5), " ") end print()
