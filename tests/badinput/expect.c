/*
 * expect STEP [--and STEP]...: runs each step's command in turn and checks how it ended; the
 * first failed check is reported and ends the test with status 1.
 *
 * STEP is [OPTION]... -- COMMAND [ARG]...
 *   --status N    the command must exit with status N (default 0)
 *   --signal N    the command must be killed by signal N
 *   --stderr RE   every line of stderr starts with "xlate: " and stderr matches the extended
 *                 regular expression RE; without it stderr must be empty
 *   --file F      stderr starts with "xlate: F: " (the message names the file)
 *   --any-stderr  stderr is not checked (for commands that are not xlate)
 *   --stdout TEXT stdout must be exactly TEXT (C escapes \n and \t allowed)
 * A sanitizer report on stderr always fails, whatever the options.
 */
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_OUTPUT (1 << 20)

struct step {
    int status, sig;
    const char *stderr_re, *file, *stdout_text;
    bool any_stderr;
    char **argv;
};

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: expect [--status N | --signal N] [--stderr RE] [--file F] "
                    "[--any-stderr] [--stdout TEXT] -- COMMAND... [--and STEP]...\n");
    exit(2);
}

/* Reads all of fd into a NUL-terminated buffer (at most MAX_OUTPUT bytes are kept). */
static char *slurp(int fd)
{
    char *b = malloc(MAX_OUTPUT + 1);
    size_t n = 0;
    if (!b)
        exit(2);
    for (;;) {
        char tmp[4096];
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t take = (size_t)r < MAX_OUTPUT - n ? (size_t)r : MAX_OUTPUT - n;
        memcpy(b + n, tmp, take);
        n += take;
    }
    b[n] = 0;
    close(fd);
    return b;
}

static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        exit(2);
    for (; *s; s++) {
        if (s[0] == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
            *o++ = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : '\\';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
    return out;
}

static int fail(const struct step *st, const char *out, const char *err, const char *why)
{
    fprintf(stderr, "FAILED: %s\n  command:", why);
    for (char **a = st->argv; *a; a++)
        fprintf(stderr, " %s", *a);
    fprintf(stderr, "\n  stdout: %s\n  stderr: %s\n", out, err);
    return 1;
}

/* Runs one step. stdout goes to a temporary file and stderr through a pipe, so a command that
 * fills both cannot block on one while we read the other. */
static int run(const struct step *st)
{
    FILE *outf = tmpfile();
    int errp[2];
    if (!outf || pipe(errp) != 0)
        return fail(st, "", "", "cannot set up the command's output");
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return fail(st, "", "", "cannot fork");
    if (pid == 0) {
        dup2(fileno(outf), 1);
        dup2(errp[1], 2);
        close(errp[0]);
        close(errp[1]);
        execvp(st->argv[0], st->argv);
        fprintf(stderr, "cannot run %s: %s\n", st->argv[0], strerror(errno));
        _exit(127);
    }
    close(errp[1]);
    char *err = slurp(errp[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return fail(st, "", err, "waitpid failed");
    rewind(outf);
    char *out = slurp(dup(fileno(outf)));
    fclose(outf);

    char why[256];
    if (strstr(err, "Sanitizer") || strstr(err, "runtime error:"))
        return fail(st, out, err, "sanitizer report");
    if (st->sig) {
        if (!WIFSIGNALED(ws) || WTERMSIG(ws) != st->sig) {
            snprintf(why, sizeof why, "expected death by signal %d", st->sig);
            return fail(st, out, err, why);
        }
    } else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != st->status) {
        if (WIFSIGNALED(ws))
            snprintf(why, sizeof why, "expected exit status %d, got signal %d", st->status,
                     WTERMSIG(ws));
        else
            snprintf(why, sizeof why, "expected exit status %d, got %d", st->status,
                     WEXITSTATUS(ws));
        return fail(st, out, err, why);
    }
    if (st->file) {
        char want[4096];
        snprintf(want, sizeof want, "xlate: %s: ", st->file);
        if (strncmp(err, want, strlen(want)) != 0)
            return fail(st, out, err, "the message does not start by naming the file");
    }
    if (st->stderr_re && !st->any_stderr) {
        for (const char *line = err; *line; line = strchr(line, '\n') + 1) {
            if (strncmp(line, "xlate: ", 7) != 0)
                return fail(st, out, err, "a line of stderr does not start with \"xlate: \"");
            if (!strchr(line, '\n'))
                return fail(st, out, err, "stderr does not end with a newline");
        }
        regex_t re;
        if (regcomp(&re, st->stderr_re, REG_EXTENDED | REG_NOSUB) != 0)
            return fail(st, out, err, "bad --stderr regular expression");
        bool match = regexec(&re, err, 0, NULL, 0) == 0;
        regfree(&re);
        if (!match) {
            snprintf(why, sizeof why, "stderr does not match /%s/", st->stderr_re);
            return fail(st, out, err, why);
        }
    } else if (*err && !st->any_stderr) {
        return fail(st, out, err, "unexpected output on stderr");
    }
    if (st->stdout_text && strcmp(out, unescape(st->stdout_text)) != 0)
        return fail(st, out, err, "unexpected output on stdout");
    free(out);
    free(err);
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    while (i < argc) {
        struct step st = {0};
        for (; i < argc && strcmp(argv[i], "--"); i += 2) {
            if (!strcmp(argv[i], "--any-stderr")) {
                st.any_stderr = true;
                i--;
                continue;
            }
            if (i + 1 >= argc)
                usage();
            if (!strcmp(argv[i], "--status"))
                st.status = atoi(argv[i + 1]);
            else if (!strcmp(argv[i], "--signal"))
                st.sig = atoi(argv[i + 1]);
            else if (!strcmp(argv[i], "--stderr"))
                st.stderr_re = argv[i + 1];
            else if (!strcmp(argv[i], "--file"))
                st.file = argv[i + 1];
            else if (!strcmp(argv[i], "--stdout"))
                st.stdout_text = argv[i + 1];
            else
                usage();
        }
        if (++i >= argc)
            usage();
        st.argv = argv + i;
        while (i < argc && strcmp(argv[i], "--and"))
            i++;
        if (i < argc)
            argv[i++] = NULL; /* ends this step's command */
        if (run(&st) != 0)
            return 1;
    }
    return 0;
}
