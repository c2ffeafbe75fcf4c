/*
 * unit.h - a minimal assertion harness for the core's unit tests.
 *
 * Each test program counts checks and ends with the line
 * "<name>: N passed, N failed"; test/run-unit.sh adds them up.
 */
#ifndef CDM_UNIT_H
#define CDM_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int	unit_passed;
extern int	unit_failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

/* The message (printf format + args) is required; got/want are printed first. */
#define CHECK_INT(got, want, ...) \
	do { long long g_ = (got), w_ = (want); \
		if (g_ != w_) fprintf(stderr, "  got %lld want %lld\n", g_, w_); \
		CHECK(g_ == w_, __VA_ARGS__); } while (0)

#define CHECK_STR(got, want, ...) \
	do { const char *g_ = (got), *w_ = (want); int ok_ = strcmp(g_, w_) == 0; \
		if (!ok_) fprintf(stderr, "  got '%s' want '%s'\n", g_, w_); \
		CHECK(ok_, __VA_ARGS__); } while (0)

/* Prints the closing line; returns the process exit code. */
extern int	unit_report(const char *name);

/*
 * CSV reading for the conformance vectors (RFC 4180: quoted fields may hold
 * commas, quotes, CR and LF).  csv_next() returns the number of fields of
 * the next record, 0 at end of file; fields point into the reader's buffer
 * and stay valid until the next call.
 */
typedef struct CsvReader CsvReader;

extern CsvReader *csv_open(const char *dir, const char *file);
extern int	csv_next(CsvReader *r, char **fields, int maxfields);
extern void csv_close(CsvReader *r);

/* Column index of a header name, or -1 (read from the first record). */
extern int	csv_column(CsvReader *r, const char *name);

/*
 * Known deviations (test/conformance/DEVIATIONS.csv): rows of a published
 * vector file where cdm deliberately differs.  Returns cdm's documented
 * result for (file, a, b) -- b is "" for one-argument functions -- or NULL
 * when the row is not a listed deviation.
 */
extern const char *deviation_for(const char *dir, const char *file,
								 const char *a, const char *b);

/* Decode UTF-8 into a malloc'd code-point array (test helper; exits on bad input). */
#include "cdm_core.h"
#include "translit.h"
extern cdm_char *utf8_to_cps(const char *s, size_t *n);

/*
 * What the PostgreSQL skin does before a phonetic code: UTF-8 -> code
 * points -> cdm_translit(profile), into a malloc'd array of *n code points
 * (grown until the result fits; exits if ICU fails).
 */
extern cdm_char *translit_cps(CdmTranslitProfile profile, const char *utf8,
							  size_t *n);

/*
 * cdm_fold of a UTF-8 string, as UTF-8 (malloc'd; its length in *len when
 * len is not NULL).  Exits if ICU fails.
 */
extern char *unit_fold_utf8(const char *s, size_t *len);

/* A cdm_check_interrupts callback that counts its calls in unit_interrupts. */
extern long unit_interrupts;
extern void unit_count_interrupt(void);

/*
 * xorshift64 pseudo-random numbers, from the same fixed seed in every test
 * program (so each run sees the same sequence).
 */
extern uint64_t unit_rand(void);

/* n code points, each letters[unit_rand() % alpha]. */
extern void unit_random_string(cdm_char *s, size_t n, const cdm_char *letters,
							   int alpha);

#endif
