/*
 * procs: processes -- fork, pipes between parent and child, wait4/waitid, exit statuses,
 * process groups and sessions, vfork, posix_spawn and system() (vfork + execve of /bin/sh),
 * execve of a host program (/bin/echo, /usr/bin/env) and of an AArch64 program: ourselves.
 *
 * Usage: procs GUEST   where GUEST runs this same program (argv[1] is what to exec for "a guest
 * program": the AArch64 ELF itself when translated, a script starting it under qemu-aarch64 for
 * the oracle run). "procs --child ARGS..." is the exec'd guest: it reports what it sees.
 * Lines starting "kernel-only:" are checks where qemu-aarch64 differs from the kernel (it runs
 * vfork as fork); the test driver leaves them out of the comparison.
 * Exit status: the number of failed checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int failures;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The exec'd guest: arguments, environment, what /proc/self/exe and AT_EXECFN say. */
static int child_main(int argc, char **argv)
{
    printf("child: argc %d:", argc);
    for (int i = 2; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    const char *v = getenv("PROCS_VAR");
    printf("child: PROCS_VAR=%s\n", v ? v : "(unset)");
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    /* The executable is the guest program, whatever runs it. */
    printf("child: /proc/self/exe is a file named like argv[0]: %d\n",
           n > 0 && !strcmp(base(exe), base(argv[0])));
    printf("child: AT_EXECFN names it too: %d\n", execfn && !strcmp(base(execfn), base(argv[0])));
    struct stat a, b;
    int fd = open("/proc/self/exe", O_RDONLY);
    printf("child: opening /proc/self/exe opens that file: %d\n",
           fd >= 0 && fstat(fd, &a) == 0 && stat(argv[0], &b) == 0 && a.st_ino == b.st_ino);
    return 7;
}

static void test_fork_pipe(void)
{
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    pid_t pid = fork();
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        char buf[64];
        ssize_t n = read(to_child[0], buf, sizeof buf);
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)(buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i]);
        write(to_parent[1], buf, (size_t)n);
        _exit(getppid() > 1 ? 3 : 4);
    }
    close(to_child[0]);
    close(to_parent[1]);
    write(to_child[1], "hello, child", 12);
    close(to_child[1]);
    char buf[64] = {0};
    ssize_t n = read(to_parent[0], buf, sizeof buf - 1);
    close(to_parent[0]);
    int status;
    struct rusage ru;
    pid_t w = wait4(pid, &status, 0, &ru);
    printf("fork: child answered '%.*s', exit %d\n", (int)n, buf, WEXITSTATUS(status));
    check(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3 && !strcmp(buf, "HELLO, CHILD"),
          "fork, pipes, wait4");
}

static void test_waitid_and_signals(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGTERM);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, (id_t)pid, &si, WEXITED);
    printf("waitid: code %s, status %d\n", si.si_code == CLD_KILLED ? "CLD_KILLED" : "?",
           si.si_status);
    check(r == 0 && si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
          "waitid on a child killed by SIGTERM");

    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        pid_t sid = setsid(); /* fails: a group leader cannot start a session */
        _exit(getpgid(0) == getpid() && sid == -1 && errno == EPERM ? 5 : 6);
    }
    int status;
    waitpid(pid, &status, 0);
    check(WEXITSTATUS(status) == 5, "setpgid, getpgid, setsid in a child");
    pid = fork();
    if (pid == 0)
        _exit(setsid() == getpid() && getsid(0) == getpid() ? 8 : 9);
    waitpid(pid, &status, 0);
    check(WEXITSTATUS(status) == 8, "setsid in a child");
    errno = 0;
    check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no children left: ECHILD");
}

static volatile int usr1_seen;
static void on_usr1(int sig)
{
    (void)sig;
    usr1_seen++;
}

static volatile int shared_word;

static void test_vfork(void)
{
    signal(SIGUSR1, on_usr1);
    pid_t pid = vfork();
    if (pid == 0) {
        /* The kernel gives a vfork child its own dispositions: the parent keeps its handler. */
        signal(SIGUSR1, SIG_IGN);
        shared_word = 1234;
        _exit(11);
    }
    int status;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 11, "vfork and _exit");
    raise(SIGUSR1);
    check(usr1_seen == 1, "a vfork child's sigaction leaves the parent's handler");
    signal(SIGUSR1, SIG_DFL);
    /* qemu-aarch64 runs vfork as fork: the child's store stays in its copy. */
    printf("kernel-only: %s: the vfork child's store is the parent's memory\n",
           shared_word == 1234 ? "ok" : "FAILED");

    /* posix_spawn reports an execve failure through memory it shares with the vfork child. */
    char *argv[] = {"nope", NULL};
    pid_t sp;
    int r = posix_spawn(&sp, "/nonexistent/program", NULL, NULL, argv, environ);
    if (r == 0)
        waitpid(sp, &status, 0);
    printf("kernel-only: %s: posix_spawn of a missing program: %s\n", r == ENOENT ? "ok" : "FAILED",
           r ? strerror(r) : "reported success");
}

static void run_and_wait(pid_t pid, const char *what, int want)
{
    int status;
    waitpid(pid, &status, 0);
    printf("%s: exit %d\n", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    check(WIFEXITED(status) && WEXITSTATUS(status) == want, what);
}

static void test_exec_host(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"echo", "host", "echo", "says", "hi", NULL};
        execv("/bin/echo", argv);
        _exit(127);
    }
    run_and_wait(pid, "execve /bin/echo", 0);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *argv[] = {"env", NULL};
        char *envp[] = {"PROCS_ONLY=this", NULL};
        execve("/usr/bin/env", argv, envp);
        _exit(127);
    }
    run_and_wait(pid, "execve /usr/bin/env with an environment", 0);

    errno = 0;
    char *argv[] = {"nope", NULL};
    check(execv("/nonexistent/program", argv) == -1 && errno == ENOENT, "execve: ENOENT");
    errno = 0;
    check(execv("/etc/passwd", argv) == -1 && errno == EACCES, "execve: EACCES");

    fflush(stdout);
    int r = system("echo system: $((6 * 7)); exit 3");
    printf("system: status %d\n", WEXITSTATUS(r));
    check(WIFEXITED(r) && WEXITSTATUS(r) == 3, "system() through /bin/sh");

    fflush(stdout);
    char *sargv[] = {"sh", "-c", "echo spawned $0 $1", "a", "b", NULL};
    pid_t sp;
    r = posix_spawn(&sp, "/bin/sh", NULL, NULL, sargv, environ);
    if (r == 0)
        run_and_wait(sp, "posix_spawn /bin/sh", 0);
    else
        check(0, "posix_spawn");

    fflush(stdout);
    FILE *p = popen("echo piped; echo lines", "r");
    char line[64];
    int lines = 0;
    while (fgets(line, sizeof line, p))
        lines++;
    check(pclose(p) == 0 && lines == 2, "popen");
}

static void test_exec_guest(const char *guest)
{
    fflush(stdout);
    int out[2];
    pipe(out);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        char *argv[] = {(char *)guest, "--child", "one", "two words", "", NULL};
        char *envp[] = {"PROCS_VAR=passed", NULL};
        execve(guest, argv, envp);
        _exit(127);
    }
    close(out[1]);
    char buf[1024];
    ssize_t n, total = 0;
    while ((n = read(out[0], buf + total, sizeof buf - 1 - (size_t)total)) > 0)
        total += n;
    buf[total] = 0;
    close(out[0]);
    fputs(buf, stdout);
    run_and_wait(pid, "execve of an AArch64 program", 7);
    check(strstr(buf, "is a file named like argv[0]: 1") && strstr(buf, "names it too: 1") &&
              strstr(buf, "opens that file: 1"),
          "the exec'd guest sees its own executable");
}

static void *spinner(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static void *child_thread(void *arg)
{
    return (void *)((long)arg + 1);
}

static void test_fork_threads(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spinner, NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(12);
    run_and_wait(pid, "fork of a threaded process", 12);
    /* qemu-aarch64 8.x aborts (an assertion in its plugin code) when the child of a threaded
     * process creates a thread. */
    pid = fork();
    if (pid == 0) {
        if (getenv("PROCS_UNDER_QEMU"))
            _exit(14);
        /* Only this thread exists in the child; it can make threads of its own. */
        pthread_t u;
        void *r = NULL;
        int ok = pthread_create(&u, NULL, child_thread, (void *)41L) == 0 &&
                 pthread_join(u, &r) == 0 && r == (void *)42L;
        _exit(ok ? 14 : 15);
    }
    run_and_wait(pid, "threads in the child of a threaded process", 14);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--child"))
        return child_main(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: procs GUEST\n");
        return 2;
    }
    test_fork_pipe();
    test_waitid_and_signals();
    test_vfork();
    test_exec_host();
    test_exec_guest(argv[1]);
    test_fork_threads();
    printf("failures: %d\n", failures);
    return failures;
}
