/*
 * nbody: double-precision gravitational simulation of 32 bodies (all pairs, softened), leapfrog
 * steps; square roots, divisions and dependent multiply-add chains.
 * Usage: nbody [steps]   Output: the total energy before and after.
 */
#include "bench.h"

#include <math.h>

enum { N = 32 };

struct bodies {
    double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];
};

static double energy(const struct bodies *b)
{
    double e = 0;
    for (int i = 0; i < N; i++) {
        e += 0.5 * b->m[i] * (b->vx[i] * b->vx[i] + b->vy[i] * b->vy[i] + b->vz[i] * b->vz[i]);
        for (int j = i + 1; j < N; j++) {
            double dx = b->x[i] - b->x[j], dy = b->y[i] - b->y[j], dz = b->z[i] - b->z[j];
            e -= b->m[i] * b->m[j] / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

static void step(struct bodies *b, double dt)
{
    for (int i = 0; i < N; i++) {
        double ax = 0, ay = 0, az = 0;
        for (int j = 0; j < N; j++) {
            double dx = b->x[j] - b->x[i], dy = b->y[j] - b->y[i], dz = b->z[j] - b->z[i];
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double s = b->m[j] / (d2 * sqrt(d2));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        b->vx[i] += dt * ax;
        b->vy[i] += dt * ay;
        b->vz[i] += dt * az;
    }
    for (int i = 0; i < N; i++) {
        b->x[i] += dt * b->vx[i];
        b->y[i] += dt * b->vy[i];
        b->z[i] += dt * b->vz[i];
    }
}

int main(int argc, char **argv)
{
    long steps = bench_size(argc, argv, 80000);
    static struct bodies b;
    uint64_t seed = 42;
    for (int i = 0; i < N; i++) {
        b.x[i] = rng_unit(&seed) * 10 - 5;
        b.y[i] = rng_unit(&seed) * 10 - 5;
        b.z[i] = rng_unit(&seed) * 10 - 5;
        b.vx[i] = rng_unit(&seed) - 0.5;
        b.vy[i] = rng_unit(&seed) - 0.5;
        b.vz[i] = rng_unit(&seed) - 0.5;
        b.m[i] = 0.5 + rng_unit(&seed);
    }
    printf("energy before %.9f\n", energy(&b));
    for (long s = 0; s < steps; s++)
        step(&b, 0.0005);
    printf("energy after  %.9f\n", energy(&b));
    return 0;
}
