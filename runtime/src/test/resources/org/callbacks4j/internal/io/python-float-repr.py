# Regenerates python-float-repr.txt: "<IEEE-754 bits as 16 hex digits> <repr(float)>" per line, from CPython.
# Run: python3 python-float-repr.py > python-float-repr.txt
import random, struct, sys

def bits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]

vals = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.30000000000000004, 1/3, 2/3, 1e-05, 1.5e+20, 1e16, 1e15,
        9999999999999998.0, 1e17, 12345678901234567890.0, 0.0001, 0.00001, 0.00012345, 1e-4 * 0.99999,
        5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
        2e-3, 1e23, 2e23, 8.41e21, 5.0e-324, 2**-44, 2**-1022, 2**52, 2**53, 2**53 + 2, 2**63, 2**64,
        9007199254740993.0, 123456.0, 100.0, 1e22, 1e21, 4.35, 0.6931471805599453, 2.302585092994046,
        1.0000000000000002, 0.9999999999999999, 3.141592653589793, 0.5, 0.25, 1e-7, 1.7e-7, 123e-310]
vals += [float(2**e) for e in range(-1074, 1024, 7)]
vals += [10.0**e for e in range(-323, 309)]
rng = random.Random(20260517)
for _ in range(1500):
    while True:
        x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
        if x == x and abs(x) != float('inf'):
            break
    vals.append(x)
for _ in range(500):
    vals.append(rng.random())
for _ in range(300):
    # float32 values widened to double, as a float32 metric read into a double
    vals.append(struct.unpack('<f', struct.pack('<f', rng.random() * 10 ** rng.randint(-6, 6)))[0])
for _ in range(300):
    vals.append(round(rng.random() * 10 ** rng.randint(-8, 20), rng.randint(0, 12)))
vals += [float('nan'), float('inf'), float('-inf')]
vals = [float(v) for v in vals]
seen = set()
for v in vals:
    b = bits(v)
    if b in seen:
        continue
    seen.add(b)
    sys.stdout.write('%016x %r\n' % (b, v))
