/*
 * A program that pulls in much of static glibc and libm (formatted I/O, number parsing, sorting,
 * allocation, strings, wide characters, regular expressions, time, threads, floating point), so
 * its executable sections hold the instruction mix of real programs. Never run: only decoded.
 */
#include <complex.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

double vec_kernels(int n); /* vec.c */

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void *worker(void *arg)
{
    return (void *)(long)strlen(arg);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    double v[64];
    for (int i = 0; i < 64; i++)
        v[i] = strtod(argc > i ? argv[i] : "2.5e-3", NULL) * sin(i) + cbrt(i) + exp2(i / 7.0);
    qsort(v, 64, sizeof v[0], cmp);
    long double ld = strtold(argv[0], NULL) * 3.0L;
    float complex z = cexpf(I * (float)v[3]);
    char *buf = malloc(4096);
    snprintf(buf, 4096, "%g %La %.3f %s %d", v[0], ld, crealf(z), strerror(argc), argc);
    regex_t re;
    if (regcomp(&re, "^[a-z]+([0-9]*)$", REG_EXTENDED) == 0) {
        printf("%d\n", regexec(&re, buf, 0, NULL, 0));
        regfree(&re);
    }
    wchar_t w[64];
    mbstowcs(w, buf, 64);
    time_t t = time(NULL);
    char when[64];
    strftime(when, sizeof when, "%c %Z", localtime(&t));
    pthread_t th;
    void *res;
    pthread_create(&th, NULL, worker, buf);
    pthread_join(th, &res);
    jmp_buf jb;
    if (setjmp(jb) == 0 && argc > 100)
        longjmp(jb, 1);
    printf("%s %ls %ld %f %f %s\n", buf, w, (long)res, pow(v[1], v[2]) + lgamma(v[4]),
           vec_kernels(argc), when);
    free(buf);
    return 0;
}
