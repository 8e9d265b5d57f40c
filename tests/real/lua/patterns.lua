-- Patterns: find, match, gmatch, gsub with strings, tables and functions, captures,
-- anchors, classes, %b, %f, position captures.
local text = "The year 1999 and 2024; emails: a.b@example.com, x_y@test.org. Cost: $12.50!"
print(text:find("%d+"), text:match("(%d+)%D+(%d+)"))
for y in text:gmatch("%d%d%d%d") do io.write(y, " ") end print()
for user, host in text:gmatch("([%w._]+)@([%w.]+%a)") do print(user, host) end
print(text:gsub("%d", "#"))
print(text:gsub("(%w+)@(%w+)", "%2 at %1"))
print(("hello world from lua"):gsub("%w+", string.upper, 2))
print(("$name is $age"):gsub("%$(%w+)", { name = "Ann", age = 7 }))
print(("abc"):gsub("", "-"))
print(("f(a(b)c) g(d)"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("2024-02-29"):match("(%d+)-(%d+)-(%d+)"))
print(("aaa"):match("()a()"), ("hello"):find("l+"), ("hello"):match(".-l"), ("hello"):match(".*l"))
print(("x=1, y=22, z=333"):gsub("(%w)=(%d+)", function(k, v) return k .. "=" .. v * 2 end))
print(("[%]"):gsub("%%", "pct"), ("a+b"):gsub("%+", "-"), ("a.b"):find("."), ("a.b"):find("%."))
print(pcall(string.rep), pcall(string.find, "a", "[a"))
print(pcall(string.gsub, "abc", "(", ""))
local counts = {}
for w in ("the cat and the hat and the bat"):gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end print()
print(("CamelCaseString"):gsub("(%u)", " %1"), ("%d"):rep(3, "."):format(1, 2, 3))
print(string.format("%-20s|", ("x"):rep(25):sub(1, 20)), ("abc"):match("^(a)(b)(c)$"))
