/*
 * build.c -- compiling a student's file, and linking it into a program.
 *
 * Compiling and linking are two steps on purpose.  The compile of the
 * student's file runs confined (and, for grading, sandboxed in a directory
 * holding only that file and the runtime's headers), because the compiler
 * does what the source says: `#include "/path/to/solutions/x.c"` would
 * otherwise print a solution into an error message.  The link puts together
 * the student's object and our trusted ones, and needs to see both.
 */
#include "checker_internal.h"
#include "toolchain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_ARGS = 96, MAX_ERRORS_SHOWN = 3, MAX_LINES_SHOWN = 30 };

/* ----------------------------------------------------------------------- */
/* Trimming the compiler's output                                            */
/* ----------------------------------------------------------------------- */

/* "file.c:12:5: error: ..." is a diagnostic of that kind. */
static bool is_diagnostic(const char *line, const char *kind)
{
    const char *colon = strstr(line, ": ");
    if (!colon || colon == line)
        return false;
    char marker[32];
    snprintf(marker, sizeof marker, ": %s: ", kind);
    return strstr(line, marker) != NULL;
}

static void append(char **out, size_t *len, const char *text, size_t n)
{
    char *grown = realloc(*out, *len + n + 1);
    if (!grown)
        return;
    memcpy(grown + *len, text, n);
    *len += n;
    grown[*len] = '\0';
    *out = grown;
}

/* Appends one line, with `file` at its start renamed `shown_as`. */
static void append_line(char **out, size_t *len, const char *line, size_t n, const char *file,
                        const char *shown_as)
{
    size_t f = strlen(file);
    if (n > f && strncmp(line, file, f) == 0 && line[f] == ':') {
        append(out, len, shown_as, strlen(shown_as));
        line += f;
        n -= f;
    }
    append(out, len, line, n);
    append(out, len, "\n", 1);
}

/*
 * Keeps the first MAX_ERRORS_SHOWN diagnostics of `kind` ("error" or
 * "warning") with the lines that belong to them (the source line, the
 * caret, the notes), and says how many more there were.  The first error
 * is the one to fix; later ones are often its echoes.
 */
char *ex__trim_diagnostics(const char *text, const char *file, const char *shown_as,
                           const char *kind)
{
    char *out = NULL;
    size_t len = 0;
    int seen = 0, lines = 0;
    bool keeping = false;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        bool starts = is_diagnostic(line, kind);
        bool other = !starts && (is_diagnostic(line, "error") || is_diagnostic(line, "warning") ||
                                 strstr(line, "In function") || strstr(line, "At top level"));
        if (starts)
            seen++;
        if (starts)
            keeping = seen <= MAX_ERRORS_SHOWN;
        else if (other && !is_diagnostic(line, "note"))
            keeping = false;
        if (keeping && lines < MAX_LINES_SHOWN) {
            append_line(&out, &len, line, n, file, shown_as);
            lines++;
        }
        line += n + (end ? 1 : 0);
    }
    if (seen > MAX_ERRORS_SHOWN) {
        char more[80];
        snprintf(more, sizeof more, "... and %d more %s%s\n", seen - MAX_ERRORS_SHOWN, kind,
                 seen - MAX_ERRORS_SHOWN == 1 ? "" : "s");
        append(&out, &len, more, strlen(more));
    }
    if (!out && strcmp(kind, "error") == 0 && *text) /* an error not in that shape */
        out = ex__format("%.*s", 2000, text);
    return out;
}

/* ----------------------------------------------------------------------- */
/* Compiling and linking                                                     */
/* ----------------------------------------------------------------------- */

/* Adds the common flags: language, warnings, debug info, sanitizers. */
static int common_flags(char **argv, int n, char *san_buffer)
{
    static const char *const flags[] = {"-std=gnu11", "-O1", "-g", "-Wall", "-Wextra",
                                        "-fdiagnostics-color=never", "-D_GNU_SOURCE", NULL};
    for (const char *const *f = flags; *f; f++)
        argv[n++] = (char *)*f;
    n += ex_split_words(san_buffer, argv + n, 16);
    return n;
}

/*
 * The compiler's real path, found the way a shell would and with symbolic
 * links resolved: /usr/bin/cc leads through /etc/alternatives, which the
 * sandbox does not show.
 */
static void compiler_path(char *buf, size_t size)
{
    const char *cc = ex_toolchain_cc();
    char found[4200];
    snprintf(found, sizeof found, "%s", cc);
    if (!strchr(cc, '/')) {
        const char *dirs[] = {"/usr/local/bin", "/usr/bin", "/bin", NULL};
        for (int i = 0; dirs[i]; i++) {
            snprintf(found, sizeof found, "%s/%s", dirs[i], cc);
            if (access(found, X_OK) == 0)
                break;
        }
    }
    char *real = realpath(found, NULL);
    snprintf(buf, size, "%s", real ? real : found);
    free(real);
}

static char *const *build_env(void)
{
    /* C messages: plain quotes, English words, the same for every student. */
    static char *const env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "LANG=C",
                                "TMPDIR=/tmp", NULL};
    return env;
}

/*
 * A build we killed because the user pressed Ctrl-C says nothing about the
 * student's file: it is marked interrupted, as a run would be, so that
 * grading leaves that student for --resume instead of saving a failed build.
 */
static bool stopped_by_interrupt(const ex_outcome *out, ex_result *r)
{
    if (!out->interrupted)
        return false;
    ex_result_mark_interrupted(r);
    return true;
}

static int compile(const ex_options *o, const char *src_dir, const char *file,
                   const char *shown_as, const char *object, ex_result *r)
{
    char san[512], include[4200];
    snprintf(san, sizeof san, "%s", ex_toolchain_sanitizers());
    snprintf(include, sizeof include, "-I%s/runtime", o->home);
    char *argv[MAX_ARGS];
    int n = 0;
    argv[n++] = (char *)ex_toolchain_cc();
    n = common_flags(argv, n, san);
    argv[n++] = include;
    argv[n++] = "-c";
    argv[n++] = (char *)file;
    argv[n++] = "-o";
    argv[n++] = (char *)object;
    argv[n] = NULL;

    char runtime_dir[4200];
    snprintf(runtime_dir, sizeof runtime_dir, "%s/runtime", o->home);
    ex_sandbox sandbox = o->sandbox;
    sandbox.writable_dir = o->scratch;
    sandbox.readable[0] = runtime_dir;
    sandbox.readable[1] = NULL;
    ex_limits limits = ex_limits_for_build();
    ex_outcome out;
    /* execve needs a path: find the compiler the way a shell would. */
    char cc_path[4200];
    compiler_path(cc_path, sizeof cc_path);
    argv[0] = cc_path;
    if (ex_confined_run(argv, src_dir, build_env(), &limits, &sandbox, &out) != 0) {
        r->status = EX_INTERNAL;
        r->summary = ex__format("cannot run the compiler %s: %s", cc_path, strerror(errno));
        return -1;
    }
    int status = 0;
    if (stopped_by_interrupt(&out, r)) {
        status = -1;
    } else if (strncmp(out.err, "bwrap:", 6) == 0) { /* the sandbox, not the student */
        r->status = EX_INTERNAL;
        r->summary = ex__format("the sandbox could not start the compiler: %.200s", out.err + 7);
        status = -1;
    } else if (out.signal || out.exit_code || out.wall_exceeded) {
        r->status = EX_COMPILE_ERROR;
        if (out.wall_exceeded || out.signal)
            r->summary = ex__format("the compiler was stopped (%s) -- does the file make "
                                    "it work too hard?",
                                    out.wall_exceeded ? "time limit" : strsignal(out.signal));
        else
            r->summary = ex__format("%s does not compile", shown_as);
        r->details = ex__trim_diagnostics(out.err, file, shown_as, "error");
        status = -1;
    } else {
        r->warnings = ex__trim_diagnostics(out.err, file, shown_as, "warning");
    }
    ex_outcome_free(&out);
    return status;
}

static int link_program(const ex_options *o, const char *object, const char *const *objects,
                        bool with_check_library, const char *binary, const char *shown_as,
                        ex_result *r)
{
    char san[512], libs[1024], check_lib[4200], runtime_lib[4200];
    char include_runtime[4200], include_check[4200];
    snprintf(include_runtime, sizeof include_runtime, "-I%s/runtime", o->home);
    snprintf(include_check, sizeof include_check, "-I%s/tests/exercises", o->home);
    snprintf(san, sizeof san, "%s", ex_toolchain_sanitizers());
    snprintf(libs, sizeof libs, "%s", ex_toolchain_libs());
    snprintf(check_lib, sizeof check_lib, "%s/libcheck.a", o->lib_dir);
    snprintf(runtime_lib, sizeof runtime_lib, "%s/libawaitlab.a", o->lib_dir);
    char *argv[MAX_ARGS];
    int n = 0;
    char cc_path[4200];
    compiler_path(cc_path, sizeof cc_path);
    argv[n++] = cc_path;
    n = common_flags(argv, n, san); /* a check given as source compiles here */
    argv[n++] = include_runtime;
    argv[n++] = include_check;
    argv[n++] = (char *)object;
    for (int i = 0; objects && objects[i] && n < MAX_ARGS - 24; i++)
        argv[n++] = (char *)objects[i];
    if (with_check_library)
        argv[n++] = check_lib;
    argv[n++] = runtime_lib;
    n += ex_split_words(libs, argv + n, 16);
    argv[n++] = "-o";
    argv[n++] = (char *)binary;
    argv[n] = NULL;

    ex_limits limits = ex_limits_for_build();
    ex_sandbox none = {0};
    ex_outcome out;
    if (ex_confined_run(argv, o->scratch, build_env(), &limits, &none, &out) != 0) {
        r->status = EX_INTERNAL;
        r->summary = ex__format("cannot run the linker: %s", strerror(errno));
        return -1;
    }
    int status = 0;
    if (stopped_by_interrupt(&out, r)) {
        status = -1;
    } else if (out.signal || out.exit_code) {
        r->status = EX_COMPILE_ERROR;
        r->summary = ex__format("%s compiles but does not link: did you rename or remove a "
                                "function the exercise asks for?", shown_as);
        r->details = ex__format("%.*s", 2000, out.err);
        status = -1;
    }
    ex_outcome_free(&out);
    return status;
}

int ex__build(const ex_options *o, const char *src_dir, const char *file, const char *shown_as,
              const char *const *objects, bool with_check_library, const char *binary,
              ex_result *r)
{
    char object[4400];
    snprintf(object, sizeof object, "%s/%.*s.o", src_dir, (int)(strlen(file) - 2), file);
    if (compile(o, src_dir, file, shown_as, object, r) != 0)
        return -1;
    return link_program(o, object, objects, with_check_library, binary, shown_as, r);
}
