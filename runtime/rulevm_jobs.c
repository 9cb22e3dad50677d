/* rulevm eval --jobs N over JSON Lines input. The reader thread only
 * decodes the input and cuts it into pieces of whole lines, and the
 * workers parse, evaluate and render the records of their pieces. This
 * file is included at the end of rulevm_eval.c, whose types and static
 * functions it uses.
 *
 * A piece ends after a line whose last character other than blanks is
 * '}' and before one whose first is '{'. In valid JSON Lines that is
 * always between two records. A worker cannot know the record numbers
 * before its piece until the pieces before it are read. So it reads its
 * piece first and then waits its turn in a chain that passes the count
 * of records from piece to piece. Only then does it number and render
 * the records.
 *
 * The cut is wrong only for input that is not JSON Lines: an object
 * spread over lines with such a line break inside, or a record that
 * misses its closing brace. The worker then finds its piece does not end
 * between two records (facts_json_piece.clean), the batch is marked
 * `redo`, and when the writer reaches it, it reads the rest of the input
 * from that piece on with the serial reader, as --jobs 1 does. A line
 * longer than EVAL_PIECE_MAX and a read or decoding error do the same,
 * so every message comes from the serial reader, word for word. */

/* Bytes of input per piece, and the most a piece may grow to while
 * looking for a place to cut. */
#define EVAL_PIECE_SIZE (64u << 10)
#define EVAL_PIECE_MAX (4u << 20)
/* Bytes read ahead before looking for a cut: a little past the size, so
 * that the bytes after the cut, which move to the buffer's start, are
 * few when lines are short. */
#define EVAL_PIECE_READ (EVAL_PIECE_SIZE + EVAL_PIECE_SIZE / 4)

/* Copy a record of the piece into its batch (the worker's callback). */
static int eval_piece_record(er_record *record, void *data)
{
	eval_batch *batch = data;

	if (eval_batch_add(batch, record) != 0) {
		batch->out_of_memory = 1;
		return 1;
	}
	return 0;
}

/* Keep a warning of the reader for the writer, which prints it through
 * rulevm_on_warning in order. */
static void eval_piece_warning(const char *message, void *data)
{
	eval_batch *batch = data;
	eval_piece *piece = &batch->piece;
	size_t len = strlen(message) + 1;
	char *grown = realloc(piece->warnings, piece->warnings_len + len);

	if (grown == NULL) {
		batch->out_of_memory = 1;
		return;
	}
	memcpy(grown + piece->warnings_len, message, len);
	piece->warnings = grown;
	piece->warnings_len += len;
}

/* Keep a key that names no fact, with the piece's number of the record
 * it first appears in, for the writer: "\1RECORD\1KEY\0" among the
 * messages. */
static void eval_piece_unknown_key(const char *key, size_t record, void *data)
{
	char entry[512];

	snprintf(entry, sizeof entry, "\1%zu\1%s", record, key);
	eval_piece_warning(entry, data);
}

/* Wait for the count of records before the piece, and pass on the count
 * after it. Returns the records of the input before the piece, and those
 * of the run in *run_before. */
static size_t eval_piece_chain(eval_run *run, eval_batch *batch, size_t *run_before)
{
	size_t before;

	pthread_mutex_lock(&run->lock);
	while (run->chain_seq != batch->piece.seq)
		pthread_cond_wait(&run->done, &run->lock);
	before = run->chain_number;
	*run_before = run->chain_run;
	run->chain_number += batch->count;
	run->chain_run += batch->count;
	run->chain_seq++;
	pthread_cond_broadcast(&run->done);
	pthread_mutex_unlock(&run->lock);
	return before;
}

/* A worker's job on a piece: read its records, number them, then
 * evaluate and render them as any batch. */
static void eval_piece_batch(eval_run *run, eval_worker *worker, eval_batch *batch)
{
	eval_piece *piece = &batch->piece;
	facts_options options = {
		.format = FACTS_JSONL,
		.name = batch->input,
		.on_record = eval_piece_record,
		.on_warning = eval_piece_warning,
		.on_unknown_key = eval_piece_unknown_key,
		.context = batch,
	};
	facts_json_piece text = {
		.text = piece->text,
		.len = piece->len,
		.first_line = piece->first_line,
		.last = piece->last,
	};
	size_t before;

	if (facts_read_json_piece(run->program, &options, &text, NULL) != ER_OK ||
	    (!text.clean && !piece->last) || batch->out_of_memory)
		piece->redo = 1;
	before = eval_piece_chain(run, batch, &batch->first);
	piece->number_before = before;
	if (piece->redo)
		return;
	for (size_t i = 0; i < batch->count; i++) {
		er_record *record = batch->records[i];

		record->number += before;
		if (strcmp(record->id, FACTS_ID_UNNUMBERED) == 0)
			snprintf(record->id, sizeof record->id, "%zu", record->number);
	}
	eval_render_batch(run, worker, batch);
}

/* Before a piece's batch is written: print its warnings and count its
 * records. Returns 1, and writes nothing, when it must be read again. */
static int eval_piece_emit(eval_run *run, eval_batch *batch)
{
	eval_piece *piece = &batch->piece;

	if (piece->redo) {
		run->redo = 1;
		return 1;
	}
	for (size_t at = 0; at < piece->warnings_len; at += strlen(piece->warnings + at) + 1) {
		const char *message = piece->warnings + at;
		char *key;

		if (message[0] != '\1') {
			eval_on_warning(message, run);
			continue;
		}
		size_t record = strtoul(message + 1, &key, 10);
		eval_warn_unknown_key(run, key + 1, piece->number_before + record);
	}
	run->read += batch->count;
	run->input_records += batch->count;
	return 0;
}

static int eval_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The end of the first piece of text that is longer than `from` bytes:
 * just after a '\n' whose line ends with '}' and whose next line that is
 * not blank begins with '{'. Returns 0 when text has no such place. */
static size_t eval_find_cut(const char *text, size_t len, size_t from)
{
	while (from < len) {
		const char *nl = memchr(text + from, '\n', len - from);
		size_t at, end, next;

		if (nl == NULL)
			return 0;
		at = (size_t)(nl - text);
		end = at;
		while (end > 0 && eval_blank(text[end - 1]))
			end--;
		next = at + 1;
		while (next < len && (eval_blank(text[next]) || text[next] == '\n'))
			next++;
		if (next == len)
			return 0;
		if (end > 0 && text[end - 1] == '}' && text[next] == '{')
			return at + 1;
		from = at + 1;
	}
	return 0;
}

static size_t eval_count_lines(const char *text, size_t len)
{
	size_t lines = 0;

	for (const char *nl = text; (nl = memchr(nl, '\n', len - (size_t)(nl - text))) != NULL; nl++)
		lines++;
	return lines;
}

/* Hand text[0, len) over as the next piece. Returns -1 when the batch
 * must be read again or memory runs out: the caller then falls back. */
static int eval_piece_hand_over(eval_run *run, const char *text, size_t len, size_t line, int last)
{
	eval_batch *batch;
	eval_piece *piece;

	while (run->filled - run->emitted >= run->ring_size && !run->redo)
		eval_emit_oldest(run);
	if (run->redo)
		return -1;
	batch = &run->ring[run->filled % run->ring_size];
	piece = &batch->piece;
	if (piece->cap < len) {
		char *grown = realloc(piece->text, len);

		if (grown == NULL)
			return -1;
		piece->text = grown;
		piece->cap = len;
	}
	memcpy(piece->text, text, len);
	piece->len = len;
	piece->first_line = line;
	piece->last = last;
	piece->redo = 0;
	piece->warnings_len = 0;
	piece->seq = run->filled;
	piece->is_piece = 1;
	batch->count = 0;
	batch->input = run->input;
	batch->path = run->path;
	batch->out_of_memory = batch->write_failed = 0;
	run->filling = batch;
	eval_submit(run);
	return 0;
}

/* Read until *buf contains `want` bytes or the input ends. Returns -1 on a
 * read error or when out of memory. */
static int eval_fill(facts_input *input, char **buf, size_t *len, size_t *cap, size_t want,
		     int *eof, er_error *err)
{
	if (*cap < want) {
		char *grown = realloc(*buf, want);

		if (grown == NULL)
			return -1;
		*buf = grown;
		*cap = want;
	}
	while (!*eof && *len < want) {
		size_t n = facts_input_read(input, *buf + *len, want - *len, err);

		if (n == (size_t)-1)
			return -1;
		*eof = n == 0;
		*len += n;
	}
	return 0;
}

/* Write out the pieces read well, then read the rest of the input with
 * the serial reader: from the first piece to read again, or from `rest`,
 * the text after the last piece, which begins on line `line`. */
static er_status eval_fall_back(eval_run *run, facts_input *input, facts_options *options,
				const char *rest, size_t rest_len, size_t line, er_error *err)
{
	int failed;

	eval_drain(run);
	pthread_mutex_lock(&run->lock);
	for (size_t s = run->emitted; s < run->filled; s++) {
		while (!run->ring[s % run->ring_size].done)
			pthread_cond_wait(&run->done, &run->lock);
	}
	pthread_mutex_unlock(&run->lock);
	if (run->emitted < run->filled)
		line = run->ring[run->emitted % run->ring_size].piece.first_line;
	failed = facts_input_unread(input, rest, rest_len) != 0;
	for (size_t s = run->filled; s > run->emitted && !failed; s--) {
		const eval_piece *piece = &run->ring[(s - 1) % run->ring_size].piece;

		failed = facts_input_unread(input, piece->text, piece->len) != 0;
	}
	pthread_mutex_lock(&run->lock);
	for (size_t s = run->emitted; s < run->filled; s++)
		run->ring[s % run->ring_size].done = 0;
	run->filled = run->claimed = run->emitted;
	pthread_mutex_unlock(&run->lock);
	run->redo = 0;
	if (failed) {
		run->out_of_memory = 1;
		return ER_OK;
	}
	options->start_line = line;
	options->start_number = run->input_records;
	return facts_read_json(run->program, input, options, err);
}

/* Cut the input into pieces for the workers. Returns what facts_read
 * returns. */
static er_status eval_read_pieces(eval_run *run, facts_input *input, facts_options *options,
				  er_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, want = EVAL_PIECE_READ, line = 1;
	int eof = 0, done = 0;
	er_status status = ER_OK;

	run->chain_seq = run->filled;
	run->chain_number = 0;
	run->chain_run = run->read;
	run->input_records = 0;
	while (!done) {
		size_t cut;

		if (eval_fill(input, &buf, &len, &cap, want, &eof, err) != 0)
			break;
		cut = eof ? len : eval_find_cut(buf, len, EVAL_PIECE_SIZE);
		if (cut == 0 && !eof) {
			if (len >= EVAL_PIECE_MAX)
				break;
			want = len + EVAL_PIECE_SIZE;
			continue;
		}
		if (cut > 0 && eval_piece_hand_over(run, buf, cut, line, eof && cut == len) != 0)
			break;
		line += eval_count_lines(buf, cut);
		memmove(buf, buf + cut, len - cut);
		len -= cut;
		want = EVAL_PIECE_READ;
		done = eof && len == 0;
	}
	eval_drain(run);
	if (!done || run->redo)
		status = eval_fall_back(run, input, options, buf, len, line, err);
	free(buf);
	return status;
}

/* Read one input as facts_read does. With worker threads, JSON input
 * whose first value is an object is cut into pieces. */
static er_status eval_read_facts(eval_run *run, FILE *in, facts_options *options, er_error *err)
{
	facts_input *input;
	er_status status;
	int c;

	if (run->thread_count == 0 || options->format == FACTS_CSV)
		return facts_read(run->program, in, options, err);
	err->status = ER_OK;
	err->message[0] = '\0';
	input = facts_input_open(in, options->encoding, options->name, err);
	if (input == NULL)
		return err->status;
	c = facts_input_peek(input, err);
	if (c == -1 && err->status != ER_OK) {
		status = err->status;
	} else if (options->format == FACTS_AUTO && c != '{' && c != '[' && c != -1) {
		options->format = FACTS_CSV;
		status = facts_read_csv(run->program, input, options, err);
	} else {
		if (options->format == FACTS_AUTO)
			options->format = FACTS_JSON;
		if (c == '{')
			status = eval_read_pieces(run, input, options, err);
		else
			status = facts_read_json(run->program, input, options, err);
	}
	facts_input_close(input);
	return status;
}
