/*
 * csv.h — streaming RFC 4180 CSV reader and a small writer.
 *
 * The reader pulls records one at a time from a file, a file descriptor or a
 * memory buffer, using a bounded buffer: memory stays flat whatever the file
 * size (one read, 256 KiB, grown only for a record that does not fit, never
 * past max_record_bytes). It accepts and skips a leading UTF-8 byte-order
 * mark, LF and CRLF line ends (a lone CR inside a quoted field is kept),
 * quoted fields with commas, doubled quotes and embedded newlines, and a
 * missing final newline.
 * Completely empty lines (no bytes between two line ends) are skipped.
 *
 * Every field is checked to be valid UTF-8. Any malformed input — a quote
 * inside an unquoted field, text after a closing quote, an unterminated
 * quoted field at end of file, a carriage return not followed by a line
 * feed outside quotes, invalid UTF-8 (overlong forms, surrogates, code
 * points above U+10FFFF, truncated sequences) — is a P20W_EFORMAT error; a
 * field longer than max_field_bytes, more than max_columns fields or a
 * record longer than max_record_bytes is a P20W_ELIMIT error. Either carries
 * the physical line (1-based) where the offending record starts and the
 * field number (1-based) as column, plus a message that quotes no field
 * content (fields may hold direct identifiers); a reader opened on a file
 * also puts its path in err->file. Errors do not depend on the read size.
 * After an error the reader stays in the error state: every later
 * csv_read() returns the same status and error.
 *
 * Ragged rows (a record whose field count differs from the header's) are not
 * the reader's business: callers compare counts and report them.
 *
 * Not thread-safe; one reader per thread.
 */
#ifndef P20W_CSV_H
#define P20W_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

typedef struct csv_reader csv_reader;

/* Caps on what untrusted input may make the reader hold. Zero-initialise
 * and set only what you need: every 0 means the default. */
typedef struct csv_limits {
    size_t max_field_bytes;  /* 0 = default, 1 MiB (after unquoting) */
    size_t max_columns;      /* 0 = default, 1024 */
    size_t max_record_bytes; /* 0 = default, 16 MiB of raw input per record,
                                quotes counted, line end not */
    size_t read_bytes;       /* 0 = default, 256 KiB per read(); tests and
                                fuzzers use tiny values so records straddle
                                buffer refills */
} csv_limits;

/* One field of the current record. ptr is NUL-terminated and valid until
 * the next csv_read() or csv_reader_close(); len excludes the NUL. A field
 * may contain NUL bytes only if the input did, in which case strlen(ptr) <
 * len; callers that need C strings must check. */
typedef struct csv_field {
    const char *ptr;
    size_t len;
    int quoted; /* the field was written in quotes */
} csv_field;

/* Opens path for reading ("-" = stdin). limits may be NULL (defaults).
 * On success *out owns the file; close with csv_reader_close(). Errors:
 * P20W_EIO (cannot open), P20W_ENOMEM. */
p20w_status csv_reader_open_file(const char *path, const csv_limits *limits,
                                 csv_reader **out, p20w_err *err);

/* Reads from an open descriptor the caller keeps owning (not closed). */
p20w_status csv_reader_open_fd(int fd, const csv_limits *limits,
                               csv_reader **out, p20w_err *err);

/* Reads from memory; buf must outlive the reader. */
p20w_status csv_reader_open_mem(const char *buf, size_t len,
                                const csv_limits *limits, csv_reader **out,
                                p20w_err *err);

/* Reads the next record. On success *fields points at *nfields fields owned
 * by the reader. At end of input returns P20W_OK with *nfields == 0 (a real
 * record always has at least one field). Errors: P20W_EFORMAT (malformed),
 * P20W_ELIMIT (field or column limit), P20W_EIO (read failed), P20W_ENOMEM;
 * err carries line and column. */
p20w_status csv_read(csv_reader *r, const csv_field **fields, size_t *nfields,
                     p20w_err *err);

/* Physical line (1-based) where the record last returned started. */
long csv_reader_line(const csv_reader *r);

/* Bytes of input consumed so far (for progress and throughput). */
uint64_t csv_reader_bytes(const csv_reader *r);

/* Closes the reader (and the file it opened). Accepts NULL. */
void csv_reader_close(csv_reader *r);

/* Writes one field to f, quoted only when it holds a comma, quote, CR or LF
 * (or leading/trailing space or tab, or starts with U+FEFF, which would
 * pass for a byte-order mark), with inner quotes doubled. Returns P20W_EIO
 * on a write error. */
p20w_status csv_write_field(FILE *f, const char *s, size_t len);

/* Writes n fields separated by commas and ends the line with "\n". A NULL
 * entry writes an empty field. A row of one empty field is written as ""
 * so that a reader does not take it for an empty line and skip it.
 * Errors: P20W_EINVAL (n == 0), P20W_EIO. */
p20w_status csv_write_row(FILE *f, const char *const *fields, size_t n);

#endif
