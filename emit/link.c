/* Linking the translated object with the runtime into one PIE executable that needs only the
 * host's libc. The host C compiler driver does the linking, as for any compiled program. */
#include "emit.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int emit_link(char *const *objects, unsigned nobjects, const char *out, const char *runtime_lib,
              char *err, size_t errlen)
{
    const char *cc = getenv("XLATE_CC");
    if (!cc || !*cc)
        cc = "cc";
    char **argv = calloc(nobjects + 8, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    unsigned n = 0;
    argv[n++] = (char *)cc;
    argv[n++] = "-pie";
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    for (unsigned i = 0; i < nobjects; i++)
        argv[n++] = objects[i];
    argv[n++] = (char *)runtime_lib;
    argv[n++] = "-lm";
    argv[n++] = "-lpthread";
    pid_t pid;
    int rc = posix_spawnp(&pid, cc, NULL, NULL, argv, environ);
    free(argv);
    if (rc != 0) {
        snprintf(err, errlen, "cannot run the linker '%s': %s", cc, strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for the linker: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "linking with '%s' failed", cc);
        return -1;
    }
    return 0;
}
