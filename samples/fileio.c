/*
 * fileio: a file round trip in a fresh directory under argv[1] (or $TMPDIR, or /tmp) -- mkdir,
 * write 200 KiB with stdio (fprintf, fwrite, fputc) and with write(2) at offsets (lseek, pwrite),
 * stat/fstat and check sizes and types, read back with fread, fgets, read and pread and verify,
 * rename, list the directory (getdents through readdir, sorted), append, truncate, unlink and
 * rmdir, plus the errors that must come back (ENOENT, EEXIST, ENOTDIR). Paths are printed
 * relative to the directory so the output does not depend on where it is.
 * Exit status: the number of failed checks (0) plus 10.
 */
#include "sample.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

static char dir[512];
/* dir/name, in one of two buffers used in turn (rename takes two paths). */
static const char *path(const char *name)
{
    static char bufs[2][1024];
    static int turn;
    char *buf = bufs[turn ^= 1];
    snprintf(buf, sizeof bufs[0], "%s/%s", dir, name);
    return buf;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(void)
{
    DIR *d = opendir(dir);
    check(d != NULL, "opendir");
    if (!d)
        return;
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (n < 16)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    printf("directory:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* a crash keeps the lines before it */
    const char *base = argc > 1 ? argv[1] : getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof dir, "%s/xlate-fileio", base);
    rmdir(dir); /* a leftover empty directory from an interrupted run */
    check(mkdir(dir, 0700) == 0, "mkdir");
    check(mkdir(dir, 0700) == -1 && errno == EEXIST, "mkdir again fails with EEXIST");

    /* Write with stdio: text, binary records, single characters. */
    FILE *f = fopen(path("data.txt"), "w");
    check(f != NULL, "fopen for writing");
    if (!f)
        return 100;
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %04d: %x %g\n", i, i * 2654435761u, i / 8.0);
    long text_end = ftell(f);
    uint64_t s = 3;
    static unsigned char block[200 * 1024];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (unsigned char)rng_next(&s);
    check(fwrite(block, 1, sizeof block, f) == sizeof block, "fwrite 200 KiB");
    for (int c = 'a'; c <= 'z'; c++)
        fputc(c, f);
    check(fclose(f) == 0, "fclose");
    long total = text_end + (long)sizeof block + 26;
    printf("text part %ld bytes, total %ld\n", text_end, total);

    struct stat st;
    check(stat(path("data.txt"), &st) == 0, "stat");
    printf("size %lld regular %d dir %d owner-readable %d nlink %lu\n", (long long)st.st_size,
           S_ISREG(st.st_mode), S_ISDIR(st.st_mode), (st.st_mode & S_IRUSR) != 0,
           (unsigned long)st.st_nlink);
    check(st.st_size == total, "stat size matches what was written");
    check(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "stat of the directory");

    /* Read back with stdio. */
    f = fopen(path("data.txt"), "r");
    check(f != NULL, "fopen for reading");
    if (!f)
        return 100;
    char line[128];
    int lines = 0, good_lines = 0;
    while (lines < 1000 && fgets(line, sizeof line, f)) {
        char expect[128];
        snprintf(expect, sizeof expect, "line %04d: %x %g\n", lines, lines * 2654435761u,
                 lines / 8.0);
        good_lines += strcmp(line, expect) == 0;
        lines++;
    }
    printf("read %d lines, %d as written\n", lines, good_lines);
    check(ftell(f) == text_end, "ftell after the text");
    static unsigned char back[sizeof block];
    check(fread(back, 1, sizeof back, f) == sizeof back, "fread 200 KiB");
    check(memcmp(back, block, sizeof block) == 0, "binary part matches");
    char tail[32] = {0};
    size_t nt = fread(tail, 1, sizeof tail - 1, f);
    printf("tail: %zu bytes \"%s\", eof %d\n", nt, tail, feof(f) != 0);
    check(fseek(f, -26, SEEK_END) == 0 && fgetc(f) == 'a', "fseek from the end");
    fclose(f);

    /* Raw descriptors: pwrite in the middle, pread it back, lseek and read. */
    int fd = open(path("data.txt"), O_RDWR);
    check(fd >= 0, "open O_RDWR");
    struct stat fst;
    check(fstat(fd, &fst) == 0 && fst.st_size == total, "fstat");
    check(pwrite(fd, "PATCHED", 7, 5) == 7, "pwrite");
    char pb[16] = {0};
    check(pread(fd, pb, 12, 0) == 12, "pread");
    printf("first 12 bytes now \"%s\"\n", pb);
    check(lseek(fd, text_end, SEEK_SET) == text_end, "lseek");
    unsigned char rb[4096];
    ssize_t got = read(fd, rb, sizeof rb);
    check(got == (ssize_t)sizeof rb && memcmp(rb, block, sizeof rb) == 0, "read after lseek");
    check(ftruncate(fd, 100) == 0 && fstat(fd, &fst) == 0 && fst.st_size == 100, "ftruncate");
    close(fd);

    /* Append mode writes at the end regardless of the offset. */
    fd = open(path("data.txt"), O_WRONLY | O_APPEND);
    check(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "++", 2) == 2, "append");
    close(fd);
    check(stat(path("data.txt"), &st) == 0 && st.st_size == 102, "size after append");

    /* A second file, a rename, the directory listing. */
    fd = open(path("second"), O_CREAT | O_EXCL | O_WRONLY, 0600);
    check(fd >= 0, "create with O_EXCL");
    close(fd);
    check(open(path("second"), O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST,
          "O_EXCL on an existing file fails with EEXIST");
    check(rename(path("second"), path("renamed")) == 0, "rename");
    list_dir();

    /* Errors. */
    check(open(path("missing"), O_RDONLY) == -1 && errno == ENOENT, "open missing: ENOENT");
    check(stat(path("data.txt/x"), &st) == -1 && errno == ENOTDIR, "stat through a file: ENOTDIR");
    check(rmdir(dir) == -1 && errno == ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");

    check(unlink(path("data.txt")) == 0 && unlink(path("renamed")) == 0, "unlink");
    check(unlink(path("renamed")) == -1 && errno == ENOENT, "unlink again: ENOENT");
    check(rmdir(dir) == 0, "rmdir");
    check(access(dir, F_OK) == -1 && errno == ENOENT, "directory gone");
    printf("failures: %d\n", failures);
    return 10 + failures;
}
