/* rulevm eval: decide each project record of the input files. The reader
 * copies records into batches, and one or more threads evaluate them.
 * With several threads, JSON Lines go to the threads as text, so that
 * they parse it too (rulevm_jobs.c). The reports keep the input order,
 * whatever the number of threads. */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "rulevm.h"

/* Records per batch: large enough that handing a batch to a thread costs
 * little next to evaluating it, small enough that the batches in flight
 * hold little memory. */
#define EVAL_BATCH_SIZE 64
#define EVAL_MAX_JOBS 256
#define EVAL_DECISIONS (ER_DECISION_NEEDS_INFO + 1)

/* A piece of JSON Lines for a worker to read (rulevm_jobs.c). */
/* Text rendered for a batch. The buffer keeps its size from batch to
 * batch, so a long run allocates nothing once the largest batch is seen. */
typedef struct eval_text {
	char *data;
	size_t len, cap;
	int failed;            /* memory ran out while writing */
} eval_text;

typedef struct eval_piece {
	int is_piece;          /* the batch contains text, not records yet */
	size_t seq;            /* position among the batches handed over */
	char *text;
	size_t len, cap;
	size_t first_line;
	int last;              /* the input ends with the piece */
	int redo;              /* read it again serially: see rulevm_jobs.c */
	char *warnings;        /* messages, each ending with '\0' */
	size_t warnings_len;
	size_t number_before;  /* records of the input before the piece */
} eval_piece;

/* Records, with their reports and messages rendered once evaluated. */
typedef struct eval_batch {
	er_record **records;   /* allocated on first use, then reused */
	size_t count, record_cap;
	size_t first;          /* records of the whole run before this batch */
	const char *input;     /* name of the input the records come from */
	const char *path;      /* its path as given, "-": standard input */
	eval_text out, err;    /* rendered reports and error messages */
	size_t decisions[EVAL_DECISIONS];
	size_t invalid;        /* records with errors */
	int out_of_memory;
	int write_failed;      /* rendering into memory failed */
	int done;              /* evaluated and rendered */
	eval_piece piece;      /* JSON Lines text the worker reads first */
} eval_batch;

struct eval_run;

/* What one thread needs of its own to evaluate and render. */
typedef struct eval_worker {
	struct eval_run *run;
	er_result result;
	report_writer *writer;
	/* Streams into the text of the batch being rendered, kept for the
	 * whole run. `out_to` and `err_to` point to that batch's texts. */
	FILE *out, *err;
	eval_text *out_to, *err_to;
} eval_worker;

/* Counts over the whole run, for the progress line, the summary and the
 * exit status. */
typedef struct eval_totals {
	size_t records;
	size_t invalid;
	size_t decisions[EVAL_DECISIONS];
} eval_totals;

typedef struct eval_options {
	report_format format;
	int bom;
	int progress;
	int summary;
	unsigned fail_on;      /* bits: 1 << er_decision */
	size_t jobs;
	int32_t as_of;
} eval_options;

typedef struct eval_run {
	const er_program *program;
	const eval_options *options;
	report_writer *writer; /* of standard output: begin and end */
	const char *input;     /* name of the input being read */
	const char *path;      /* its path as given */
	int name_inputs;       /* several inputs: reports name each record's */

	/* Batches form a ring: the reader fills them in order, the workers
	 * take them in order, and the reader writes them out in order. */
	eval_batch *ring;
	size_t ring_size;
	eval_batch *filling;   /* the batch the reader fills, or NULL */
	size_t filled;         /* batches handed to the workers */
	size_t claimed;        /* batches a worker has claimed */
	size_t emitted;        /* batches written out */
	size_t read;           /* records read */

	eval_worker *workers;
	pthread_t *threads;
	size_t thread_count;
	pthread_mutex_t lock;
	pthread_cond_t work;   /* a batch was handed over, or quit */
	pthread_cond_t done;   /* a batch was rendered */
	int synchronized;      /* lock, work and done are initialised */
	int quit;

	eval_totals totals;
	int out_of_memory;
	int write_failed;
	struct timespec started, shown;
	int progress_drawn;    /* the progress line was drawn at least once */
	int progress_open;     /* it is the last line of stderr, not ended */
	int progress_tty;      /* stderr is a terminal */

	/* Pieces: the records before each piece, known in order as the
	 * workers finish reading them (rulevm_jobs.c). */
	size_t chain_seq;      /* the piece whose count comes next */
	size_t chain_number;   /* records of the input before it */
	size_t chain_run;      /* records of the run before it */
	size_t input_records;  /* records of the input written out */
	int redo;              /* the oldest batch must be read again */
	facts_warned unknown;  /* keys of this input warned about */
} eval_run;

/* Parallel reading of JSON Lines, in rulevm_jobs.c (included at the end). */
static void eval_piece_batch(eval_run *run, eval_worker *worker, eval_batch *batch);
static int eval_piece_emit(eval_run *run, eval_batch *batch);
static er_status eval_read_facts(eval_run *run, FILE *in, facts_options *options, er_error *err);

static double eval_seconds(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

enum { PROGRESS_UPDATE, PROGRESS_REDRAW, PROGRESS_FINAL };

/* Show the records done, the rate and the records with errors, at most
 * twice a second, on one line of standard error that the next update
 * overwrites. PROGRESS_REDRAW draws it again at once after a message;
 * PROGRESS_FINAL draws it a last time and ends the line. */
static void eval_show_progress(eval_run *run, int mode)
{
	struct timespec now;
	double elapsed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (mode == PROGRESS_UPDATE && eval_seconds(&run->shown, &now) < 0.5)
		return;
	run->shown = now;
	elapsed = eval_seconds(&run->started, &now);
	fputc('\r', stderr);
	fprintf(stderr, _("rulevm: %zu records evaluated, %.0f records/s, %zu with errors"),
		run->totals.records, elapsed > 0 ? (double)run->totals.records / elapsed : 0.0,
		run->totals.invalid);
	run->progress_drawn = 1;
	run->progress_open = mode != PROGRESS_FINAL;
	if (mode == PROGRESS_FINAL)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Before a message on standard error: take the progress line away, so
 * the message starts a line of its own. On a terminal the line is
 * erased; elsewhere (a forced --progress into a file) it is ended. */
static void eval_progress_pause(eval_run *run)
{
	if (!run->progress_open)
		return;
	fputs(run->progress_tty ? "\r\033[K" : "\n", stderr);
	run->progress_open = 0;
}

/* After the message: on a terminal, draw the progress line again. */
static void eval_progress_resume(eval_run *run)
{
	if (run->progress_drawn && run->progress_tty)
		eval_show_progress(run, PROGRESS_REDRAW);
}

/* Print a record's errors as standard error shows them. */
static void eval_print_errors(FILE *err, const char *input, const er_record *record)
{
	for (size_t i = 0; i < record->error_count; i++) {
		const er_field_error *error = &record->errors[i];

		if (error->field[0] != '\0')
			fprintf(err, _("rulevm: %s: record %zu (%s), field \"%s\": %s\n"), input,
				record->number, record->id, error->field, error->message);
		else
			fprintf(err, _("rulevm: %s: record %zu (%s): %s\n"), input, record->number,
				record->id, error->message);
	}
}

/* Evaluate the records of a batch and render their reports and error
 * messages into the batch's memory buffers. Safe to run on several
 * batches at once, each with its own worker. */
/* Append to a batch's text; the stream's only write function. */
static ssize_t eval_text_write(eval_text *text, const char *data, size_t size)
{
	if (size > text->cap - text->len) {
		size_t cap = text->cap > 0 ? text->cap : 8192;

		while (cap - text->len < size)
			cap *= 2;
		char *grown = realloc(text->data, cap);

		if (grown == NULL) {
			text->failed = 1;
			return -1;
		}
		text->data = grown;
		text->cap = cap;
	}
	memcpy(text->data + text->len, data, size);
	text->len += size;
	return (ssize_t)size;
}

static ssize_t eval_out_write(void *cookie, const char *data, size_t size)
{
	eval_worker *worker = cookie;

	return eval_text_write(worker->out_to, data, size);
}

static ssize_t eval_err_write(void *cookie, const char *data, size_t size)
{
	eval_worker *worker = cookie;

	return eval_text_write(worker->err_to, data, size);
}

/* Open the worker's two streams. A stream made once per batch (such as
 * open_memstream) left the heap fragmented over a long run, so that the
 * resident size grew with the number of records. */
static int eval_open_streams(eval_worker *worker)
{
	cookie_io_functions_t out_io = { .write = eval_out_write };
	cookie_io_functions_t err_io = { .write = eval_err_write };

	worker->out = fopencookie(worker, "w", out_io);
	worker->err = fopencookie(worker, "w", err_io);
	if (worker->out == NULL || worker->err == NULL)
		return -1;
	/* Only this worker uses the two streams: skip the lock glibc takes on
	 * every putc, which perf showed as a tenth of a CSV run. */
	__fsetlocking(worker->out, FSETLOCKING_BYCALLER);
	__fsetlocking(worker->err, FSETLOCKING_BYCALLER);
	return 0;
}

static void eval_render_batch(const eval_run *run, eval_worker *worker, eval_batch *batch)
{
	FILE *out = worker->out, *err = worker->err;

	batch->out.len = batch->err.len = 0;
	batch->out.failed = batch->err.failed = 0;
	worker->out_to = &batch->out;
	worker->err_to = &batch->err;
	batch->invalid = 0;
	memset(batch->decisions, 0, sizeof batch->decisions);
	report_writer_redirect(worker->writer, out, batch->first);
	report_writer_set_input(worker->writer, run->name_inputs ? batch->path : NULL);
	for (size_t i = 0; i < batch->count && !batch->out_of_memory && !batch->write_failed; i++) {
		const er_record *record = batch->records[i];
		const er_result *result = NULL;

		if (record->error_count > 0) {
			batch->invalid++;
			eval_print_errors(err, batch->input, record);
		} else if (er_eval(run->program, record, run->options->as_of, &worker->result) != ER_OK) {
			batch->out_of_memory = 1;
			break;
		} else {
			result = &worker->result;
			batch->decisions[result->decision]++;
		}
		if (report_write(worker->writer, record, result) != 0)
			batch->write_failed = 1;
	}
	/* Writing into the text fails only when memory runs out. */
	if (fflush(out) != 0 || fflush(err) != 0 || batch->out.failed || batch->err.failed)
		batch->out_of_memory = 1;
}

/* Write a rendered batch out and add it to the totals. */
static void eval_emit(eval_run *run, eval_batch *batch)
{
	if (batch->out_of_memory)
		run->out_of_memory = 1;
	if (batch->write_failed)
		run->write_failed = 1;
	if (!run->write_failed && batch->out.len > 0 &&
	    fwrite(batch->out.data, 1, batch->out.len, stdout) != batch->out.len)
		run->write_failed = 1;
	if (batch->err.len > 0) {
		eval_progress_pause(run);
		fwrite(batch->err.data, 1, batch->err.len, stderr);
		eval_progress_resume(run);
	}
	batch->out.len = batch->err.len = 0;

	size_t before = run->totals.records;

	run->totals.records += batch->count;
	run->totals.invalid += batch->invalid;
	for (int d = 0; d < EVAL_DECISIONS; d++)
		run->totals.decisions[d] += batch->decisions[d];
	if (run->options->progress && before / 1024 != run->totals.records / 1024)
		eval_show_progress(run, PROGRESS_UPDATE);
}

static void *eval_worker_main(void *data)
{
	eval_worker *worker = data;
	eval_run *run = worker->run;

	pthread_mutex_lock(&run->lock);
	for (;;) {
		while (!run->quit && run->claimed == run->filled)
			pthread_cond_wait(&run->work, &run->lock);
		if (run->claimed == run->filled)
			break;
		eval_batch *batch = &run->ring[run->claimed % run->ring_size];

		run->claimed++;
		pthread_mutex_unlock(&run->lock);
		if (batch->piece.is_piece)
			eval_piece_batch(run, worker, batch);
		else
			eval_render_batch(run, worker, batch);
		pthread_mutex_lock(&run->lock);
		batch->done = 1;
		pthread_cond_broadcast(&run->done);
	}
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

/* Wait until the oldest batch not yet written is rendered, then write
 * it. With no threads, the reader renders it here itself. */
static void eval_emit_oldest(eval_run *run)
{
	eval_batch *batch = &run->ring[run->emitted % run->ring_size];

	if (run->thread_count == 0) {
		eval_render_batch(run, &run->workers[0], batch);
		run->claimed++;
	} else {
		pthread_mutex_lock(&run->lock);
		while (!batch->done)
			pthread_cond_wait(&run->done, &run->lock);
		pthread_mutex_unlock(&run->lock);
	}
	if (batch->piece.is_piece && eval_piece_emit(run, batch) != 0)
		return;
	eval_emit(run, batch);
	batch->done = 0;
	run->emitted++;
}

/* Hand the batch being filled to the workers. */
static void eval_submit(eval_run *run)
{
	if (run->filling == NULL)
		return;
	run->filling = NULL;
	if (run->thread_count == 0) {
		run->filled++;
		eval_emit_oldest(run);
		return;
	}
	pthread_mutex_lock(&run->lock);
	run->filled++;
	pthread_cond_signal(&run->work);
	pthread_mutex_unlock(&run->lock);
}

/* Write every batch handed over, in order: at the end of each input, so
 * that messages about the next input come after the reports of this one. */
static void eval_drain(eval_run *run)
{
	eval_submit(run);
	while (run->emitted < run->filled && !run->redo)
		eval_emit_oldest(run);
}

/* The batch to fill next; a full ring is written out from its oldest end
 * first. */
static eval_batch *eval_acquire(eval_run *run)
{
	eval_batch *batch;

	while (run->filled - run->emitted >= run->ring_size)
		eval_emit_oldest(run);
	batch = &run->ring[run->filled % run->ring_size];
	batch->piece.is_piece = 0;
	batch->count = 0;
	batch->first = run->read;
	batch->input = run->input;
	batch->path = run->path;
	batch->out_of_memory = batch->write_failed = 0;
	run->filling = batch;
	return batch;
}

/* Copy a record to the end of a batch. Returns -1 when out of memory. */
static int eval_batch_add(eval_batch *batch, const er_record *record)
{
	if (batch->count == batch->record_cap) {
		size_t cap = batch->record_cap > 0 ? 2 * batch->record_cap : EVAL_BATCH_SIZE;
		er_record **grown = realloc(batch->records, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		memset(grown + batch->record_cap, 0, (cap - batch->record_cap) * sizeof *grown);
		batch->records = grown;
		batch->record_cap = cap;
	}
	if (batch->records[batch->count] == NULL)
		batch->records[batch->count] = er_record_new(record->program);
	if (batch->records[batch->count] == NULL ||
	    er_record_copy(batch->records[batch->count], record) != ER_OK)
		return -1;
	batch->count++;
	return 0;
}

/* The reader's callback: copy the record into the batch being filled,
 * because the reader reuses its record for the next one. */
static int eval_on_record(er_record *record, void *data)
{
	eval_run *run = data;
	eval_batch *batch = run->filling != NULL ? run->filling : eval_acquire(run);

	if (eval_batch_add(batch, record) != 0) {
		run->out_of_memory = 1;
		return 1;
	}
	run->read++;
	if (batch->count == EVAL_BATCH_SIZE)
		eval_submit(run);
	return run->out_of_memory || run->write_failed;
}

void rulevm_on_warning(const char *message, void *data)
{
	(void)data;
	fprintf(stderr, _("rulevm: warning: %s\n"), message);
}

/* A warning of the reader in eval, where a progress line may show. */
static void eval_on_warning(const char *message, void *data)
{
	eval_run *run = data;

	eval_progress_pause(run);
	rulevm_on_warning(message, NULL);
	eval_progress_resume(run);
}

/* Warn about a key that names no fact, once per input over every reader
 * of the input (pieces and the one-thread reader alike). */
static void eval_warn_unknown_key(eval_run *run, const char *key, size_t record)
{
	char message[512];
	int added = facts_warned_add(&run->unknown, key, strlen(key));

	if (added < 0) {
		run->out_of_memory = 1;
		return;
	}
	if (added == 0)
		return;
	facts_unknown_key_message(message, sizeof message, run->input, record, key);
	eval_on_warning(message, run);
}

static void eval_on_unknown_key(const char *key, size_t record, void *data)
{
	eval_warn_unknown_key(data, key, record);
}

/* Allocate the ring and the workers and start the threads: none for one
 * job, since the reader then renders each batch itself. Returns -1 when
 * out of memory or a thread cannot start. */
static int eval_run_start(eval_run *run)
{
	size_t jobs = run->options->jobs;
	size_t workers = jobs > 1 ? jobs : 1;

	run->ring_size = jobs > 1 ? 2 * jobs : 1;
	run->ring = calloc(run->ring_size, sizeof *run->ring);
	run->workers = calloc(workers, sizeof *run->workers);
	run->threads = calloc(workers, sizeof *run->threads);
	if (run->ring == NULL || run->workers == NULL || run->threads == NULL)
		return -1;
	for (size_t i = 0; i < workers; i++) {
		run->workers[i].run = run;
		er_result_init(&run->workers[i].result);
		if (eval_open_streams(&run->workers[i]) != 0)
			return -1;
		/* The HTML page keeps every record until its end, so its one
		 * worker renders into the writer of the whole page. */
		if (run->options->format == REPORT_HTML)
			run->workers[i].writer = run->writer;
		else
			run->workers[i].writer = report_writer_new(stdout, run->options->format, run->program);
		if (run->workers[i].writer == NULL)
			return -1;
	}
	if (jobs <= 1)
		return 0;
	if (pthread_mutex_init(&run->lock, NULL) != 0 || pthread_cond_init(&run->work, NULL) != 0 ||
	    pthread_cond_init(&run->done, NULL) != 0)
		return -1;
	run->synchronized = 1;
	for (size_t i = 0; i < jobs; i++) {
		if (pthread_create(&run->threads[i], NULL, eval_worker_main, &run->workers[i]) != 0)
			return -1;
		run->thread_count++;
	}
	return 0;
}

/* Stop the threads and free everything eval_run_start allocated. */
static void eval_run_stop(eval_run *run)
{
	size_t workers = run->options->jobs > 1 ? run->options->jobs : 1;

	if (run->thread_count > 0) {
		pthread_mutex_lock(&run->lock);
		run->quit = 1;
		pthread_cond_broadcast(&run->work);
		pthread_mutex_unlock(&run->lock);
		for (size_t i = 0; i < run->thread_count; i++)
			pthread_join(run->threads[i], NULL);
	}
	if (run->synchronized) {
		pthread_mutex_destroy(&run->lock);
		pthread_cond_destroy(&run->work);
		pthread_cond_destroy(&run->done);
	}
	for (size_t i = 0; run->workers != NULL && i < workers; i++) {
		er_result_free(&run->workers[i].result);
		if (run->workers[i].out != NULL)
			fclose(run->workers[i].out);
		if (run->workers[i].err != NULL)
			fclose(run->workers[i].err);
		if (run->workers[i].writer != run->writer)
			report_writer_free(run->workers[i].writer);
	}
	for (size_t b = 0; run->ring != NULL && b < run->ring_size; b++) {
		for (size_t i = 0; i < run->ring[b].record_cap; i++)
			er_record_free(run->ring[b].records[i]);
		free(run->ring[b].records);
		free(run->ring[b].piece.text);
		free(run->ring[b].piece.warnings);
		free(run->ring[b].out.data);
		free(run->ring[b].err.data);
	}
	free(run->ring);
	free(run->workers);
	free(run->threads);
}

static void rulevm_usage_eval(void)
{
	fputs(_("Usage: rulevm eval [OPTION]... BYTECODE [FILE]...\n"
		"Decide each project record in the FILEs (standard input when there is no\n"
		"FILE or FILE is \"-\") with the rule set compiled into BYTECODE.\n"
		"\n"
		"Options:\n"
		"  --format text|json|jsonl|csv|html\n"
		"                         report format (default text); json writes one\n"
		"                         JSON array of record objects, jsonl one object per\n"
		"                         record and line, csv one row per record after a\n"
		"                         header row, html one printable page for the batch\n"
		"                         (rendered by one thread whatever --jobs says), see\n"
		"                         docs/output.md\n"
		"  --bom                  begin a csv, text or html report with a UTF-8\n"
		"                         byte-order mark, so that Excel reads its Chinese\n"
		"                         correctly\n"
		"  --input json|jsonl|csv input format (default: by the file extension,\n"
		"                         else by the first character of the input)\n"
		"  --encoding utf-8|gb18030\n"
		"                         input encoding (default: UTF-8, or GB18030 when\n"
		"                         the input is not valid UTF-8)\n"
		"  --as-of YYYY-MM-DD     evaluation date: selects the rules in force\n"
		"                         (default today)\n"
		"  -j, --jobs N           evaluate with N threads, from 1 to 256 (default 1);\n"
		"                         the output is the same for every N\n"
		"  --fail-on LIST         exit with status 5, 6 or 7 when some project is\n"
		"                         rejected, restricted or needs information; LIST is\n"
		"                         a comma-separated list of forbid (or rejected),\n"
		"                         restrict (or restricted), undecided (or\n"
		"                         needs_information) and error; the option may\n"
		"                         repeat (invalid records always give status 3)\n"
		"  --summary, --no-summary\n"
		"                         print the count of projects per decision and of\n"
		"                         invalid records on standard error at the end\n"
		"                         (default: when standard error is a terminal)\n"
		"  --progress, --no-progress\n"
		"                         show the records evaluated, the rate and the\n"
		"                         records with errors on standard error (default:\n"
		"                         when it is a terminal)\n"
		"  --lang zh|en           language of messages and reports\n"
		"  --help                 show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

/* The input format a file name suggests, or FACTS_AUTO. */
facts_format rulevm_input_format(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return FACTS_AUTO;
	if (strcmp(dot, ".json") == 0)
		return FACTS_JSON;
	if (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".ndjson") == 0)
		return FACTS_JSONL;
	if (strcmp(dot, ".csv") == 0)
		return FACTS_CSV;
	return FACTS_AUTO;
}

/* Parse a report format name. Returns 0, or -1 for an unknown name. */
static int eval_parse_format(const char *name, report_format *format)
{
	static const struct {
		const char *name;
		report_format format;
	} formats[] = {
		{ "text", REPORT_TEXT },
		{ "json", REPORT_JSON },
		{ "jsonl", REPORT_JSONL },
		{ "csv", REPORT_CSV },
		{ "html", REPORT_HTML },
	};

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*format = formats[i].format;
			return 0;
		}
	}
	return -1;
}

/* Add the decisions of a --fail-on list ("forbid,undecided") to *bits.
 * Returns 0, or -1 with a copy of the unknown item in bad. */
static int eval_parse_fail_on(const char *list, unsigned *bits, char *bad, size_t bad_size)
{
	static const struct {
		const char *name;
		int decision; /* -1: invalid records */
	} names[] = {
		{ "forbid", ER_DECISION_REJECTED },
		{ "restrict", ER_DECISION_RESTRICTED },
		{ "undecided", ER_DECISION_NEEDS_INFO },
		/* The decision codes of the reports. */
		{ "rejected", ER_DECISION_REJECTED },
		{ "restricted", ER_DECISION_RESTRICTED },
		{ "needs_information", ER_DECISION_NEEDS_INFO },
		{ "error", -1 },
	};
	const char *item = list;

	for (;;) {
		const char *comma = strchr(item, ',');
		size_t len = comma != NULL ? (size_t)(comma - item) : strlen(item);
		size_t i;

		/* Blanks around an item are allowed: "forbid, restrict". */
		while (len > 0 && (*item == ' ' || *item == '\t')) {
			item++;
			len--;
		}
		while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t'))
			len--;

		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (strlen(names[i].name) == len && strncmp(item, names[i].name, len) == 0)
				break;
		}
		if (i == sizeof names / sizeof names[0]) {
			snprintf(bad, bad_size, "%.*s", (int)len, item);
			return -1;
		}
		/* Invalid records give status 3 in any case. */
		if (names[i].decision >= 0)
			*bits |= 1u << names[i].decision;
		if (comma == NULL)
			return 0;
		item = comma + 1;
	}
}

/* Parse the value of --jobs: a whole number from 1 to EVAL_MAX_JOBS. */
static int eval_parse_jobs(const char *text, size_t *jobs)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < 1 || value > EVAL_MAX_JOBS)
		return -1;
	*jobs = (size_t)value;
	return 0;
}

/* The command line of rulevm eval. */
typedef struct eval_args {
	eval_options options;
	const char *bytecode;
	const char **files;
	size_t file_count;
	const char *input_name;
	facts_format input_format;
	facts_encoding encoding;
} eval_args;

/* Set the option `name` from its value. Returns 1, or a usage error's
 * exit status + 2. */
static int eval_set_option(eval_args *args, const char *name, const char *value)
{
	char bad[64];

	if (strcmp(name, "--format") == 0) {
		if (eval_parse_format(value, &args->options.format) != 0)
			return 2 + rulevm_usage_error("eval",
				_("unknown report format '%s': use text, json, jsonl, csv or html"), value);
	} else if (strcmp(name, "--input") == 0) {
		args->input_name = value;
		if (facts_parse_format(value, &args->input_format) != 0)
			return 2 + rulevm_usage_error("eval",
				_("unknown input format '%s': use json, jsonl or csv"), value);
	} else if (strcmp(name, "--encoding") == 0) {
		if (facts_parse_encoding(value, &args->encoding) != 0)
			return 2 + rulevm_usage_error("eval",
				_("unknown encoding '%s': use utf-8 or gb18030"), value);
	} else if (strcmp(name, "--as-of") == 0) {
		if (er_date_parse(value, strlen(value), &args->options.as_of) != 0)
			return 2 + rulevm_usage_error("eval",
				_("invalid date '%s' for --as-of: use YYYY-MM-DD"), value);
	} else if (strcmp(name, "--jobs") == 0 || strcmp(name, "-j") == 0) {
		if (eval_parse_jobs(value, &args->options.jobs) != 0)
			return 2 + rulevm_usage_error("eval",
				_("invalid thread count '%s' for --jobs: use a whole number from 1 to 256"),
				value);
	} else if (strcmp(name, "--fail-on") == 0) {
		if (eval_parse_fail_on(value, &args->options.fail_on, bad, sizeof bad) != 0)
			return 2 + rulevm_usage_error("eval",
				_("unknown decision '%s' for --fail-on: use forbid (or rejected), restrict "
				  "(or restricted), undecided (or needs_information) or error"),
				bad);
	}
	/* --lang was applied before the command ran. */
	return 1;
}

/* Parse an option that takes a value at argv[*i]. Returns 1 when it was
 * one, 0 when it is no such option, or a usage error's exit status + 2. */
static int eval_value_option(int argc, char **argv, int *i, eval_args *args)
{
	static const char *const names[] = {
		"--format", "--input", "--encoding", "--as-of", "--jobs", "-j", "--fail-on", "--lang",
	};
	const char *arg = argv[*i], *value;

	/* "-j4", as make takes it. */
	if (strncmp(arg, "-j", 2) == 0 && arg[2] >= '0' && arg[2] <= '9')
		return eval_set_option(args, "-j", arg + 2);
	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
		int matched = rulevm_option(argc, argv, i, names[n], &value);

		if (matched < 0)
			return 2 + rulevm_usage_error("eval", _("option '%s' needs a value"), arg);
		if (matched > 0)
			return eval_set_option(args, names[n], value);
	}
	return 0;
}

/* Parse the command line; returns -1 to go on, else the exit status. */
static int eval_parse_args(int argc, char **argv, eval_args *args)
{
	int no_more_options = 0;

	args->options.as_of = er_date_today();
	args->options.jobs = 1;
	args->options.progress = isatty(STDERR_FILENO);
	args->options.summary = args->options.progress;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int matched;

		if (no_more_options || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (args->bytecode == NULL)
				args->bytecode = arg;
			else
				args->files[args->file_count++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			no_more_options = 1;
		} else if (strcmp(arg, "--help") == 0) {
			rulevm_usage_eval();
			return EXIT_OK;
		} else if (strcmp(arg, "--progress") == 0 || strcmp(arg, "--no-progress") == 0) {
			args->options.progress = arg[2] == 'p';
		} else if (strcmp(arg, "--summary") == 0 || strcmp(arg, "--no-summary") == 0) {
			args->options.summary = arg[2] == 's';
		} else if (strcmp(arg, "--bom") == 0) {
			args->options.bom = 1;
		} else if ((matched = eval_value_option(argc, argv, &i, args)) > 1) {
			return matched - 2;
		} else if (matched == 0) {
			return rulevm_usage_error("eval", _("unknown option '%s'"), arg);
		}
	}
	if (args->options.bom && (args->options.format == REPORT_JSON ||
				  args->options.format == REPORT_JSONL))
		return rulevm_usage_error("eval", "%s",
			_("--bom applies to the csv, text and html formats: JSON must not begin with a "
			  "byte-order mark"));
	if (args->bytecode == NULL)
		return rulevm_usage_error("eval", "%s", _("missing BYTECODE: name a file compiled by rulec"));
	if (args->file_count == 0)
		args->files[args->file_count++] = "-";
	return -1;
}

/* Read one input through the pipeline; returns the exit status it calls
 * for (EXIT_OK when it was read to its end). */
static int eval_read_input(eval_run *run, const eval_args *args, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen(path, "rb");
	facts_options options = {
		.format = args->input_name != NULL ? args->input_format
						   : (is_stdin ? FACTS_AUTO : rulevm_input_format(path)),
		.encoding = args->encoding,
		.name = is_stdin ? _("standard input") : path,
		.on_record = eval_on_record,
		.on_warning = eval_on_warning,
		.on_unknown_key = eval_on_unknown_key,
		.context = run,
	};
	er_error err = { .status = ER_OK };
	er_status read_status;

	if (in == NULL) {
		eval_progress_pause(run);
		fprintf(stderr, _("rulevm: cannot open %s: %s\n"), path, strerror(errno));
		eval_progress_resume(run);
		return EXIT_IO;
	}
	run->input = options.name;
	run->path = path;
	read_status = eval_read_facts(run, in, &options, &err);
	if (!is_stdin)
		fclose(in);
	/* Reports and record errors first, then what stopped the input. */
	eval_drain(run);
	facts_warned_free(&run->unknown);
	memset(&run->unknown, 0, sizeof run->unknown);
	if (read_status != ER_OK) {
		eval_progress_pause(run);
		fprintf(stderr, _("rulevm: %s\n"), err.message);
		eval_progress_resume(run);
		return rulevm_exit_for(read_status);
	}
	return EXIT_OK;
}

/* Print the count of projects per decision and of invalid records. */
static void eval_print_summary(const eval_totals *totals)
{
	static const er_decision order[] = {
		ER_DECISION_REJECTED, ER_DECISION_RESTRICTED, ER_DECISION_CONDITIONAL,
		ER_DECISION_ADMIT, ER_DECISION_NEEDS_INFO,
	};

	fprintf(stderr, _("rulevm: summary: %zu records, %zu of them invalid\n"), totals->records,
		totals->invalid);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		fprintf(stderr, _("  %s: %zu\n"), er_decision_name(order[i]), totals->decisions[order[i]]);
}

/* The exit status --fail-on calls for, or EXIT_OK. */
static int eval_fail_on_status(const eval_options *options, const eval_totals *totals)
{
	static const struct {
		er_decision decision;
		int status;
	} statuses[] = {
		{ ER_DECISION_REJECTED, EXIT_REJECTED },
		{ ER_DECISION_RESTRICTED, EXIT_RESTRICTED },
		{ ER_DECISION_NEEDS_INFO, EXIT_UNDECIDED },
	};

	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		er_decision d = statuses[i].decision;

		if ((options->fail_on & 1u << d) && totals->decisions[d] > 0)
			return statuses[i].status;
	}
	return EXIT_OK;
}

/* Evaluate every input with the loaded program; returns the exit status. */
static int eval_run_inputs(eval_run *run, const eval_args *args)
{
	int status = EXIT_OK;

	clock_gettime(CLOCK_MONOTONIC, &run->started);
	run->shown = run->started;
	run->progress_tty = isatty(STDERR_FILENO);
	/* With several inputs every format names the file of each record;
	 * CSV needs it before its header row. */
	run->name_inputs = args->file_count > 1;
	if (run->name_inputs)
		report_writer_set_input(run->writer, args->files[0]);
	if (report_begin(run->writer, args->options.bom) != 0)
		run->write_failed = 1;
	for (size_t f = 0; f < args->file_count && !run->out_of_memory && !run->write_failed; f++) {
		int file_status = eval_read_input(run, args, args->files[f]);

		if (file_status > status)
			status = file_status;
	}
	report_writer_redirect(run->writer, stdout, run->read);
	if (!run->write_failed && report_end(run->writer) != 0)
		run->write_failed = 1;
	if (fflush(stdout) != 0)
		run->write_failed = 1;
	if (args->options.progress && (run->totals.records >= 1024 || run->progress_drawn))
		eval_show_progress(run, PROGRESS_FINAL);
	if (args->options.summary)
		eval_print_summary(&run->totals);

	if (run->out_of_memory) {
		fprintf(stderr, _("rulevm: %s\n"), _("out of memory"));
		return EXIT_IO;
	}
	if (run->write_failed) {
		fprintf(stderr, _("rulevm: writing the report failed: %s\n"), strerror(errno));
		return EXIT_IO;
	}
	if (run->totals.invalid > 0 && status < EXIT_INVALID)
		status = EXIT_INVALID;
	if (status == EXIT_OK)
		status = eval_fail_on_status(&args->options, &run->totals);
	return status;
}

int rulevm_eval(int argc, char **argv)
{
	eval_args args = { .options = { .format = REPORT_TEXT } };
	eval_run run = { 0 };
	er_program *program;
	int status;

	args.files = calloc((size_t)argc + 1, sizeof *args.files);
	if (args.files == NULL) {
		fprintf(stderr, _("rulevm: %s\n"), _("out of memory"));
		return EXIT_IO;
	}
	status = eval_parse_args(argc, argv, &args);
	if (status >= 0) {
		free(args.files);
		return status;
	}

	/* The whole rule set is verified before any record is read. */
	program = rulevm_load(args.bytecode, &status);
	if (program == NULL) {
		free(args.files);
		return status;
	}
	run.program = program;
	run.options = &args.options;
	run.writer = report_writer_new(stdout, args.options.format, program);
	if (run.writer != NULL)
		report_writer_set_batch(run.writer, args.bytecode, args.options.as_of);
	if (args.options.format == REPORT_HTML)
		args.options.jobs = 1;
	if (run.writer == NULL || eval_run_start(&run) != 0) {
		fprintf(stderr, _("rulevm: %s\n"), _("out of memory or no thread could start"));
		status = EXIT_IO;
	} else {
		status = eval_run_inputs(&run, &args);
	}
	eval_run_stop(&run);
	report_writer_free(run.writer);
	er_program_free(program);
	free(args.files);
	return status;
}

/* The parallel reader shares this file's static functions. */
#include "rulevm_jobs.c"
