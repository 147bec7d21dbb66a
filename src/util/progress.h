/*
 * progress.h — a progress bar on stderr for long work.
 *
 * Shown only when stderr is a terminal (and P20W_NO_PROGRESS is unset):
 * progress_start() returns NULL otherwise, and every function accepts NULL,
 * so callers never test. Redraws at most ten times a second with the share
 * done, rows/s and the estimated time left.
 */
#ifndef P20W_PROGRESS_H
#define P20W_PROGRESS_H

#include <stdint.h>

typedef struct progress progress;

/* label: what is being done ("ingest ui_wages.csv"); total: units of work
 * (bytes, say) or 0 when unknown. Returns NULL when not a terminal. */
progress *progress_start(const char *label, uint64_t total);

/* done: units finished so far; rows: records processed so far. */
void progress_update(progress *p, uint64_t done, uint64_t rows);

/* Draws the final line and frees p. */
void progress_finish(progress *p);

#endif
