/*
 * unit.c - the unit-test harness: counters, a CSV reader, deviations, and
 * the helpers the test programs share (transliteration, an interrupt
 * counter, pseudo-random strings, folding).
 */
#include "unit.h"
#include "fold.h"
#include "utf8.h"

int			unit_passed = 0;
int			unit_failed = 0;

int
unit_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed == 0 && unit_passed > 0 ? 0 : 1;
}

struct CsvReader
{
	char	   *data;
	size_t		len;
	size_t		pos;
	char	   *buf;			/* unquoted copy of the current record */
	char	   *header[32];
	int			nheader;
	char	   *hbuf;
};

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *d;
	long		n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc(n + 1);
	if (fread(d, 1, n, f) != (size_t) n)
	{
		fclose(f);
		free(d);
		return NULL;
	}
	fclose(f);
	d[n] = '\0';
	*len = n;
	return d;
}

CsvReader *
csv_open(const char *dir, const char *file)
{
	char		path[4096];
	CsvReader  *r = calloc(1, sizeof(CsvReader));
	char	   *f[32];
	int			n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	r->data = slurp(path, &r->len);
	if (!r->data)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	r->buf = malloc(r->len + 1);
	r->hbuf = malloc(r->len + 1);
	n = csv_next(r, f, 32);
	/* keep the header in its own buffer */
	{
		size_t		off = 0;

		for (int i = 0; i < n; i++)
		{
			size_t		l = strlen(f[i]);

			memcpy(r->hbuf + off, f[i], l + 1);
			r->header[i] = r->hbuf + off;
			off += l + 1;
		}
	}
	r->nheader = n;
	return r;
}

int
csv_column(CsvReader *r, const char *name)
{
	for (int i = 0; i < r->nheader; i++)
		if (strcmp(r->header[i], name) == 0)
			return i;
	return -1;
}

int
csv_next(CsvReader *r, char **fields, int maxfields)
{
	size_t		out = 0;
	int			nf = 0;

	if (r->pos >= r->len)
		return 0;
	fields[nf++] = r->buf;
	while (r->pos < r->len)
	{
		char		c = r->data[r->pos];

		if (c == '"')
		{
			r->pos++;
			while (r->pos < r->len)
			{
				c = r->data[r->pos++];
				if (c == '"')
				{
					if (r->pos < r->len && r->data[r->pos] == '"')
					{
						r->buf[out++] = '"';
						r->pos++;
					}
					else
						break;
				}
				else
					r->buf[out++] = c;
			}
			continue;
		}
		r->pos++;
		if (c == ',')
		{
			r->buf[out++] = '\0';
			if (nf < maxfields)
				fields[nf++] = r->buf + out;
			continue;
		}
		if (c == '\n')
			break;
		if (c == '\r' && r->pos < r->len && r->data[r->pos] == '\n')
			continue;
		r->buf[out++] = c;
	}
	r->buf[out] = '\0';
	return nf;
}

void
csv_close(CsvReader *r)
{
	free(r->data);
	free(r->buf);
	free(r->hbuf);
	free(r);
}

const char *
deviation_for(const char *dir, const char *file, const char *a, const char *b)
{
	static CsvReader *dev = NULL;
	static char *rows[4096][5];
	static int	nrows = -1;

	if (nrows < 0)
	{
		char	   *f[8];
		int			n;

		nrows = 0;
		dev = csv_open(dir, "../DEVIATIONS.csv");
		while ((n = csv_next(dev, f, 8)) > 0)
		{
			if (n < 5 || nrows >= 4096)
				continue;
			for (int i = 0; i < 5; i++)
				rows[nrows][i] = strdup(f[i]);
			nrows++;
		}
	}
	/* columns: file,a,b,cdm,reason */
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i][0], file) == 0 && strcmp(rows[i][1], a) == 0 &&
			strcmp(rows[i][2], b ? b : "") == 0)
			return rows[i][3];
	return NULL;
}

cdm_char *
utf8_to_cps(const char *s, size_t *n)
{
	size_t		len = strlen(s);
	cdm_char   *out = malloc((len + 1) * sizeof(cdm_char));
	ptrdiff_t	k = cdm_utf8_decode(s, len, out);

	if (k < 0)
	{
		fprintf(stderr, "invalid UTF-8 in test data: %s\n", s);
		exit(2);
	}
	*n = (size_t) k;
	return out;
}

cdm_char *
translit_cps(CdmTranslitProfile profile, const char *utf8, size_t *n)
{
	size_t		n0;
	cdm_char   *in = utf8_to_cps(utf8, &n0);
	size_t		cap = 4 * n0 + 16;
	cdm_char   *out = NULL;
	const char *err = NULL;
	ptrdiff_t	k;

	for (;;)
	{
		out = realloc(out, cap * sizeof(cdm_char));
		k = cdm_translit(profile, in, n0, out, cap, &err);
		if (k < 0)
		{
			fprintf(stderr, "cdm_translit failed on '%s': %s\n", utf8,
					err ? err : "?");
			exit(2);
		}
		if ((size_t) k <= cap)
			break;
		cap = (size_t) k;
	}
	free(in);
	*n = (size_t) k;
	return out;
}

long		unit_interrupts = 0;

void
unit_count_interrupt(void)
{
	unit_interrupts++;
}

static uint64_t unit_rng = 88172645463325252ULL;

uint64_t
unit_rand(void)
{
	unit_rng ^= unit_rng << 13;
	unit_rng ^= unit_rng >> 7;
	unit_rng ^= unit_rng << 17;
	return unit_rng;
}

void
unit_random_string(cdm_char *s, size_t n, const cdm_char *letters, int alpha)
{
	for (size_t i = 0; i < n; i++)
		s[i] = letters[unit_rand() % (uint64_t) alpha];
}

char *
unit_fold_utf8(const char *s, size_t *len)
{
	size_t		n;
	cdm_char   *in = utf8_to_cps(s, &n);
	size_t		cap = 2 * n + 16;
	cdm_char   *out = malloc(cap * sizeof(cdm_char));
	const char *err;
	ptrdiff_t	m = cdm_fold(in, n, out, cap, &err);
	char	   *r;
	size_t		k = 0;

	if (m > (ptrdiff_t) cap)
	{
		cap = (size_t) m;
		out = realloc(out, cap * sizeof(cdm_char));
		m = cdm_fold(in, n, out, cap, &err);
	}
	if (m < 0)
	{
		fprintf(stderr, "ICU error: %s\n", err);
		exit(2);
	}
	r = malloc((size_t) m * 4 + 1);
	for (ptrdiff_t i = 0; i < m; i++)
		k += (size_t) cdm_utf8_encode(out[i], r + k);
	r[k] = '\0';
	if (len)
		*len = k;
	free(in);
	free(out);
	return r;
}
