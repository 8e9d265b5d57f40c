-- io: writing and reading temporary files (lines, numbers, all, sizes), seek, append mode,
-- io.lines, file handles' tostring-free behaviour, errors for missing files, popen-free.
local dir = os.getenv("TMPDIR") or "."
local name = dir .. "/lua-io-test.txt"
local f = assert(io.open(name, "w"))
f:write("first line\n", 42, " ", 3.5, "\n", "third\n", "no newline at end")
f:close()
for l in io.lines(name) do io.write("[", l, "] ") end print()
f = assert(io.open(name, "r"))
print(f:read("l")); print(f:read("n", "n")); print(f:read("L")); print(f:read("a")); print(f:read("l"), f:read(0))
print(f:seek("set", 6), f:read(4), f:seek("cur"), f:seek("end"))
f:close()
print(io.type(f), io.type(io.stdout), io.type(42))
f = assert(io.open(name, "a")); f:write("\nappended"); f:close()
f = assert(io.open(name, "rb")); local all = f:read("a"); f:close()
print(#all, select(2, all:gsub("\n", "")))
for a, b in io.lines(name, 5, 3) do io.write(a, "|", b or "-", " ") break end print()
print(io.open(dir .. "/does/not/exist", "r"))
print(pcall(io.lines, dir .. "/missing-file"))
local bin = dir .. "/lua-io-bin"
f = assert(io.open(bin, "wb"))
for i = 0, 255 do f:write(string.char(i)) end
f:write(string.pack("<i8 d", math.mininteger, math.pi))
f:close()
f = assert(io.open(bin, "rb"))
local bytes = f:read(256); print(#bytes, bytes:byte(1), bytes:byte(256))
print(string.unpack("<i8 d", f:read(16)))
print(f:read(1), f:read("a"))
f:close()
f = assert(io.open(bin, "r+b")); f:seek("set", 10); f:write("XYZ"); f:seek("set", 8); print(f:read(6)); f:close()
f = assert(io.open(name, "w")); f:setvbuf("full", 1024)
for i = 1, 10000 do f:write(i, "\n") end f:close()
local count, sum = 0, 0
for l in io.lines(name) do count = count + 1; sum = sum + tonumber(l) end
print(count, sum)
f = assert(io.open(name)); local n = 0; for num in f:lines("n") do n = n + num end f:close(); print(n)
print(os.remove(name), os.remove(bin), os.remove(name))
print(os.rename(dir .. "/nope", dir .. "/nope2"))
local out = io.output()
io.write("via io.write ", 1, " ", 2.5, "\n")
print(io.output() == out, io.stderr:write("to stderr\n") == io.stderr)
local tmp = os.tmpname(); print(type(tmp)); os.remove(tmp)
