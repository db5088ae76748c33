/*
 * grade.c -- `awaitlab grade CLASS_DIR --out OUT_DIR`: a whole class, graded
 * safely, with reports graders read.
 *
 * Each student x exercise is one job for the checker (the same ex_check()
 * `awaitlab check` uses, so a student sees the same feedback at home),
 * built and run inside bubblewrap under limits, as its own user id per
 * worker slot.  When a student's last job is done, their results are saved
 * atomically in OUT_DIR/students/ID.json (and OUT_DIR/feedback/ID.txt): an
 * interrupted run keeps every student it finished, and --resume grades only
 * the rest.  The reports are written last, from the saved results alone.
 */
#include "class_dir.h"
#include "commands.h"
#include "exercise_context.h"
#include "grade_reports.h"
#include "number.h"
#include "pool.h"
#include "report.h"
#include "sandbox_users.h"
#include "weights.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: awaitlab grade CLASS_DIR --out OUT_DIR [--weights FILE] [--extra DIR]\n"
           "                      [-j N] [--resume] [--no-sandbox]\n"
           "       awaitlab grade --gradescope-bundle FILE.zip [--weights FILE] [--extra DIR]\n\n"
           "Grades every student of CLASS_DIR (one workspace each, as made by `awaitlab\n"
           "init`, or a .tar.gz or .zip of one) and writes to OUT_DIR: gradebook.csv,\n"
           "feedback/ID.txt, results.json, junit.xml, results.tap and gradescope/ID.json.\n"
           "Each student's exercise is built and run inside bubblewrap, under limits.\n"
           "  --weights FILE   points per exercise and per case (docs/grading.md)\n"
           "  --extra DIR      instructor checks: DIR/NN_chapter/NAME.check.c, run as well\n"
           "                   and kept out of the students' sight\n"
           "  -j N             students' checks at once (default: the number of cores)\n"
           "  --time-limit S   real seconds a check may run (default 20)\n"
           "  --cpu-limit S    CPU seconds a check may use (default 10)\n"
           "  --resume         keep the students OUT_DIR already holds, grade the rest\n"
           "  --no-sandbox     run without bubblewrap (only where each submission is\n"
           "                   already isolated, as in a Gradescope container)\n"
           "  --gradescope-bundle FILE.zip  write an autograder bundle for Gradescope\n");
}

typedef struct grade_flags {
    const char *class_dir, *out_dir, *weights_path, *extra_dir, *bundle;
    unsigned jobs;
    bool resume, no_sandbox;
    double time_limit_s;     /* 0: ex_limits_for_run()'s */
    unsigned cpu_limit_s;
} grade_flags;

typedef struct student_run {
    ex_student *student;
    size_t remaining;        /* jobs not finished yet                        */
    bool interrupted;
} student_run;

typedef struct grade_job {
    student_run *student;
    const ex_exercise *exercise;
    ex_result result;
} grade_job;

typedef struct grade_run {
    const grade_flags *flags;
    const char *home;
    ex_weights weights;
    const ex_exercise **exercises;   /* the graded ones, in workbook order */
    size_t n_exercises;
    grade_job *jobs;
    size_t n_jobs;
    student_run *students;
    size_t n_students, students_done, students_failing;
    bool sandbox;
    unsigned *slot_uids;             /* a leased user id per slot, or NULL */
    struct timespec started;
    int save_errors;
} grade_run;

static volatile int *const stop_flag = &ex_interrupted;

static void on_signal(int signal)
{
    (void)signal;
    ex_interrupted = 1;
}

/* ----------------------------------------------------------------------- */
/* Flags                                                                     */
/* ----------------------------------------------------------------------- */

static int parse(int argc, char **argv, grade_flags *f)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return -1;
        } else if (!strcmp(a, "--resume")) {
            f->resume = true;
        } else if (!strcmp(a, "--no-sandbox")) {
            f->no_sandbox = true;
        } else if (next && (!strcmp(a, "--out") || !strcmp(a, "-o"))) {
            f->out_dir = argv[++i];
        } else if (next && !strcmp(a, "--weights")) {
            f->weights_path = argv[++i];
        } else if (next && !strcmp(a, "--extra")) {
            f->extra_dir = argv[++i];
        } else if (next && !strcmp(a, "--gradescope-bundle")) {
            f->bundle = argv[++i];
        } else if (next && (!strcmp(a, "--time-limit") || !strcmp(a, "--cpu-limit"))) {
            double v;
            if (!number_parse(argv[++i], &v) || v < 1 || v > 600) {
                fprintf(stderr, "awaitlab: grade: %s takes a number of seconds from 1 to 600\n", a);
                return EXIT_USAGE;
            }
            if (a[2] == 't')
                f->time_limit_s = v;
            else
                f->cpu_limit_s = (unsigned)v;
        } else if (!strcmp(a, "-j") || !strncmp(a, "-j", 2)) {
            const char *v = a[2] ? a + 2 : next;
            long n;
            if (!number_parse_whole(v, 1, 256, &n)) {
                fprintf(stderr, "awaitlab: grade: -j takes a whole number from 1 to 256\n");
                return EXIT_USAGE;
            }
            if (!a[2])
                i++;
            f->jobs = (unsigned)n;
        } else if (a[0] == '-') {
            fprintf(stderr, "awaitlab: grade: unknown or incomplete flag '%s' (try --help)\n", a);
            return EXIT_USAGE;
        } else if (!f->class_dir) {
            f->class_dir = a;
        } else {
            fprintf(stderr, "awaitlab: grade: one class directory at a time\n");
            return EXIT_USAGE;
        }
    }
    if (f->bundle)
        return 0;
    if (!f->class_dir || !f->out_dir) {
        fprintf(stderr, "awaitlab: grade needs a class directory and --out OUT_DIR "
                        "(try --help)\n");
        return EXIT_USAGE;
    }
    return 0;
}

/* ----------------------------------------------------------------------- */
/* One job: one student's exercise                                           */
/* ----------------------------------------------------------------------- */

static void extra_check_path(const grade_run *run, const ex_exercise *e, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!run->flags->extra_dir)
        return;
    snprintf(buf, size, "%s/%s/%s.check.c", run->flags->extra_dir, e->dir, e->name);
    char *real = realpath(buf, NULL);
    if (real) {
        snprintf(buf, size, "%s", real);
        free(real);
    } else {
        buf[0] = '\0';
    }
}

static void work(void *context, size_t index, unsigned slot)
{
    grade_run *run = context;
    grade_job *job = &run->jobs[index];
    ex_student *s = job->student->student;
    if (!s->workspace[0]) {
        memset(&job->result, 0, sizeof job->result);
        job->result.status = EX_MISSING;
        job->result.summary = strdup(s->problem);
        return;
    }
    char relative[200], file[4600], extra[4600];
    ex_student_path(job->exercise, relative, sizeof relative);
    snprintf(file, sizeof file, "%s/%s", s->workspace, relative);
    extra_check_path(run, job->exercise, extra, sizeof extra);
    ex_options o = {.home = run->home, .lib_dir = ex_lib_dir(),
                    .extra_check = extra[0] ? extra : NULL};
    o.run_limits = ex_limits_for_run();
    if (run->flags->time_limit_s > 0)
        o.run_limits.wall_s = run->flags->time_limit_s;
    if (run->flags->cpu_limit_s > 0)
        o.run_limits.cpu_s = run->flags->cpu_limit_s;
    o.sandbox.enabled = run->sandbox;
    o.sandbox.uid = run->slot_uids ? run->slot_uids[slot] : 0;
    ex_check_in_scratch(job->exercise, file, &o, &job->result);
}

/* ----------------------------------------------------------------------- */
/* A student's results                                                       */
/* ----------------------------------------------------------------------- */

static json_t *exercise_json(const grade_run *run, const grade_job *job, long *points)
{
    const ex_exercise *e = job->exercise;
    const ex_result *r = &job->result;
    json_t *j = ex_report_json(e, r, false);
    long score = ex_weights_score_centi(&run->weights, e, r);
    json_object_set_new(j, "points", json_integer(score));
    json_object_set_new(j, "max_points", json_integer(ex_weights_max_centi(&run->weights, e->name)));
    json_t *cases = json_object_get(j, "cases");
    for (size_t i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        long worth = ex_weights_case_centi(&run->weights, e, r, i);
        bool trusted = r->status == EX_PASSED || r->status == EX_FAILED;
        json_object_set_new(c, "max_points", json_integer(worth));
        json_object_set_new(c, "points",
                            json_integer(trusted && r->cases[i].passed ? worth : 0));
        json_object_set_new(c, "hidden",
                            json_boolean(strncmp(r->cases[i].title, "(instructor) ", 13) == 0));
    }
    *points = score;
    return j;
}

static char *feedback_text(const grade_run *run, const grade_job *jobs, const char *id,
                           long total, long max)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fprintf(f, "Feedback for %s: %ld.%02ld of %ld.%02ld points\n", id, total / 100, total % 100,
            max / 100, max % 100);
    for (size_t k = 0; k < run->n_exercises; k++) {
        const grade_job *job = &jobs[k];
        long points = ex_weights_score_centi(&run->weights, job->exercise, &job->result);
        long worth = ex_weights_max_centi(&run->weights, job->exercise->name);
        fprintf(f, "\n==== %s: %ld.%02ld of %ld.%02ld points\n", job->exercise->name,
                points / 100, points % 100, worth / 100, worth % 100);
        ex_report_text(f, job->exercise, &job->result);
    }
    fclose(f);
    return text;
}

static void save_student(grade_run *run, student_run *sr)
{
    const grade_job *jobs = &run->jobs[(size_t)(sr - run->students) * run->n_exercises];
    json_t *exercises = json_array();
    long total = 0, max = 0;
    bool failing = false;
    for (size_t k = 0; k < run->n_exercises; k++) {
        long points;
        json_array_append_new(exercises, exercise_json(run, &jobs[k], &points));
        total += points;
        max += ex_weights_max_centi(&run->weights, jobs[k].exercise->name);
        failing |= jobs[k].result.status != EX_PASSED;
    }
    json_t *student = json_pack("{s:s, s:I, s:I, s:o}", "student", sr->student->id, "points",
                                (json_int_t)total, "max_points", (json_int_t)max, "exercises",
                                exercises);
    char path[4600];
    char *feedback = feedback_text(run, jobs, sr->student->id, total, max);
    snprintf(path, sizeof path, "%s/feedback/%s.txt", run->flags->out_dir, sr->student->id);
    int status = feedback ? ex_write_atomic(path, feedback, strlen(feedback)) : -1;
    free(feedback);
    /* The results file last: its presence is what --resume trusts. */
    char *text = json_dumps(student, JSON_INDENT(2));
    snprintf(path, sizeof path, "%s/students/%s.json", run->flags->out_dir, sr->student->id);
    if (status == 0 && text)
        status = ex_write_atomic(path, text, strlen(text));
    if (status != 0) {
        fprintf(stderr, "\nawaitlab: grade: cannot save %s: %s\n", path, strerror(errno));
        run->save_errors++;
    }
    free(text);
    json_decref(student);
    run->students_failing += failing;
}

static double elapsed_s(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

static void progress(const grade_run *run)
{
    double spent = elapsed_s(&run->started);
    size_t done = run->students_done, total = run->n_students;
    double eta = done ? spent / (double)done * (double)(total - done) : 0;
    fprintf(stderr, "\r  graded %zu of %zu students, %zu not full marks so far%s", done, total,
            run->students_failing, done && done < total ? ", about " : "");
    if (done && done < total)
        fprintf(stderr, "%.0f s to go   ", eta);
    else
        fputs("          ", stderr);
    if (!isatty(STDERR_FILENO))
        fputc('\n', stderr);
}

static void job_done(void *context, size_t index)
{
    grade_run *run = context;
    grade_job *job = &run->jobs[index];
    student_run *sr = job->student;
    if (ex_result_interrupted(&job->result))
        sr->interrupted = true;
    if (--sr->remaining > 0)
        return;
    if (!sr->interrupted) {
        save_student(run, sr);
        run->students_done++;
        progress(run);
    }
    const grade_job *jobs = &run->jobs[(size_t)(sr - run->students) * run->n_exercises];
    for (size_t k = 0; k < run->n_exercises; k++)
        ex_result_free((ex_result *)&jobs[k].result);
}

/* ----------------------------------------------------------------------- */
/* The run                                                                   */
/* ----------------------------------------------------------------------- */

static bool saved(const grade_run *run, const char *id)
{
    char path[4600];
    snprintf(path, sizeof path, "%s/students/%s.json", run->flags->out_dir, id);
    json_t *j = json_load_file(path, 0, NULL);
    bool ok = j && json_is_array(json_object_get(j, "exercises"));
    json_decref(j);
    return ok;
}

static int prepare_out_dir(const grade_flags *f)
{
    char path[4600];
    const char *subdirs[] = {"", "/students", "/feedback", "/.work", NULL};
    for (int i = 0; subdirs[i]; i++) {
        snprintf(path, sizeof path, "%s%s", f->out_dir, subdirs[i]);
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "awaitlab: grade: cannot make %s: %s\n", path, strerror(errno));
            return EXIT_FAILED;
        }
    }
    snprintf(path, sizeof path, "%s/students", f->out_dir);
    DIR *d = opendir(path);
    struct dirent *entry;
    bool previous = false;
    while (d && (entry = readdir(d)))
        previous |= entry->d_name[0] != '.';
    if (d)
        closedir(d);
    if (previous && !f->resume) {
        fprintf(stderr, "awaitlab: grade: %s holds the results of an earlier run: --resume "
                        "to finish it, or give an empty --out directory\n", f->out_dir);
        return EXIT_USAGE;
    }
    return 0;
}

/* Every saved student of this class, in id order, for the reports. */
static json_t *load_saved(const grade_run *run)
{
    json_t *all = json_array();
    for (size_t i = 0; i < run->n_students; i++) {
        char path[4600];
        snprintf(path, sizeof path, "%s/students/%s.json", run->flags->out_dir,
                 run->students[i].student->id);
        json_t *j = json_load_file(path, 0, NULL);
        if (j)
            json_array_append_new(all, j);
    }
    return all;
}

static int choose_exercises(grade_run *run, const ex_catalogue *c)
{
    run->exercises = calloc(c->count, sizeof *run->exercises);
    if (!run->exercises)
        return -1;
    for (size_t i = 0; i < c->count; i++)
        if (ex_weights_graded(&run->weights, c->items[i].name))
            run->exercises[run->n_exercises++] = &c->items[i];
    return 0;
}

static int setup_jobs(grade_run *run, ex_student *students, size_t n)
{
    run->students = calloc(n ? n : 1, sizeof *run->students);
    run->jobs = calloc(n * run->n_exercises + 1, sizeof *run->jobs);
    if (!run->students || !run->jobs)
        return -1;
    run->n_students = n;
    for (size_t i = 0; i < n; i++) {
        student_run *sr = &run->students[i];
        sr->student = &students[i];
        bool done = run->flags->resume && saved(run, students[i].id);
        sr->remaining = done ? 0 : run->n_exercises;
        run->students_done += done;
        for (size_t k = 0; k < run->n_exercises; k++)
            run->jobs[i * run->n_exercises + k] =
                (grade_job){.student = sr, .exercise = run->exercises[k]};
    }
    return 0;
}

/* The jobs still to run, as indices (resumed students have none). */
static size_t pending_jobs(const grade_run *run, size_t **pending)
{
    *pending = calloc(run->n_students * run->n_exercises + 1, sizeof **pending);
    size_t n = 0;
    for (size_t i = 0; *pending && i < run->n_students * run->n_exercises; i++)
        if (run->jobs[i].student->remaining > 0)
            (*pending)[n++] = i;
    return n;
}

typedef struct pending_context {
    grade_run *run;
    size_t *index;
} pending_context;

static void pending_work(void *context, size_t i, unsigned slot)
{
    pending_context *p = context;
    work(p->run, p->index[i], slot);
}

static void pending_done(void *context, size_t i)
{
    pending_context *p = context;
    job_done(p->run, p->index[i]);
}

static void summary(const grade_run *run, json_t *all)
{
    printf("\n%-24s %10s\n", "student", "points");
    size_t i;
    json_t *s;
    json_array_foreach(all, i, s) {
        long p = (long)json_integer_value(json_object_get(s, "points"));
        long m = (long)json_integer_value(json_object_get(s, "max_points"));
        printf("%-24s %4ld.%02ld / %ld.%02ld\n",
               json_string_value(json_object_get(s, "student")), p / 100, p % 100, m / 100,
               m % 100);
    }
    printf("\nreports in %s: gradebook.csv, feedback/, results.json, junit.xml, results.tap, "
           "gradescope/\n", run->flags->out_dir);
}

int gradescope_bundle(const char *path, const char *home, const char *weights,
                      const char *extra);

static int grade(const grade_flags *f)
{
    grade_run run = {.flags = f, .home = ex_home()};
    char error[4600];
    ex_catalogue catalogue;
    if (!run.home || ex_catalogue_load(run.home, &catalogue, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: grade: %s\n", run.home ? error : "no awaitlab home found");
        return EXIT_FAILED;
    }
    int status = 0;
    if (ex_weights_load(f->weights_path, &catalogue, &run.weights, error, sizeof error) != 0) {
        fprintf(stderr, "awaitlab: grade: %s\n", error);
        status = EXIT_USAGE;
        goto out;
    }
    run.sandbox = !f->no_sandbox;
    if (run.sandbox && !ex_sandbox_available(error, sizeof error)) {
        fprintf(stderr, "awaitlab: grade: bubblewrap cannot run here (%s). Install it "
                        "(apt-get install bubblewrap), or pass --no-sandbox if each "
                        "submission is already isolated\n", error);
        status = EXIT_FAILED;
        goto out;
    }
    if (run.sandbox && geteuid() == 0) {
        unsigned slots = f->jobs ? f->jobs : ex_pool_cores();
        run.slot_uids = calloc(slots, sizeof *run.slot_uids);
        if (!run.slot_uids || !ex_sandbox_users_lease(slots, run.slot_uids)) {
            fprintf(stderr, "awaitlab: grade: cannot lease %u sandbox user ids (other "
                            "grading runs hold them?)\n", slots);
            status = EXIT_FAILED;
            goto out;
        }
    }
    if ((status = prepare_out_dir(f)) != 0)
        goto out;
    char unpack_dir[4600];
    snprintf(unpack_dir, sizeof unpack_dir, "%s/.work", f->out_dir);
    ex_student *students = NULL;
    int n = ex_class_load(f->class_dir, unpack_dir, &students, error, sizeof error);
    if (n < 0) {
        fprintf(stderr, "awaitlab: grade: %s\n", error);
        status = EXIT_USAGE;
        goto out;
    }
    if (choose_exercises(&run, &catalogue) != 0 || setup_jobs(&run, students, (size_t)n) != 0) {
        status = EXIT_FAILED;
        goto free_students;
    }
    fprintf(stderr, "grading %d student%s x %zu exercise%s%s\n", n, n == 1 ? "" : "s",
            run.n_exercises, run.n_exercises == 1 ? "" : "s",
            run.sandbox ? " in bubblewrap" : " WITHOUT a sandbox");
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    clock_gettime(CLOCK_MONOTONIC, &run.started);
    size_t *pending;
    size_t count = pending_jobs(&run, &pending);
    pending_context pc = {.run = &run, .index = pending};
    ex_pool_run(count, f->jobs, pending_work, pending_done, &pc, stop_flag);
    free(pending);
    fputc('\n', stderr);
    if (ex_interrupted) {
        fprintf(stderr, "awaitlab: grade: interrupted; %zu of %zu students are graded and "
                        "saved. `awaitlab grade %s --out %s --resume` grades the rest.\n",
                run.students_done, run.n_students, f->class_dir, f->out_dir);
        status = 130;
    } else {
        json_t *all = load_saved(&run);
        if (ex_grade_reports_write(f->out_dir, all) != 0 || run.save_errors) {
            fprintf(stderr, "awaitlab: grade: cannot write the reports in %s: %s\n",
                    f->out_dir, strerror(errno));
            status = EXIT_FAILED;
        } else {
            summary(&run, all);
        }
        json_decref(all);
    }
free_students:
    /* An interrupted run leaves results of students it did not finish. */
    for (size_t i = 0; run.jobs && i < run.n_students * run.n_exercises; i++)
        ex_result_free(&run.jobs[i].result);
    free(run.jobs);
    free(run.students);
    free(run.exercises);
    free(students);
out:
    free(run.slot_uids);
    ex_weights_free(&run.weights);
    ex_catalogue_free(&catalogue);
    return status;
}

int cmd_grade(int argc, char **argv)
{
    grade_flags f = {0};
    int status = parse(argc, argv, &f);
    if (status != 0)
        return status < 0 ? 0 : status;
    if (f.bundle)
        return gradescope_bundle(f.bundle, ex_home(), f.weights_path, f.extra_dir);
    return grade(&f);
}
