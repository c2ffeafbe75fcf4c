/*
 * key.c - blocking keys: building, normalising, distance, text form.
 */
#include "key.h"

#include <stdlib.h>
#include <string.h>

/* Identifiers say more than names: an e-mail or phone in common weighs double. */
const double cdm_key_weight[CDM_KEY_NFIELDS] = {1.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0};

const char *const cdm_key_field_name[CDM_KEY_NFIELDS] = {
	"name", "email", "phone", "address", "f4", "f5", "f6", "f7"
};

void
cdm_key_builder_init(CdmKeyBuilder *b)
{
	b->field = 0;
	b->n = 0;
}

void
cdm_key_builder_field(CdmKeyBuilder *b, unsigned field)
{
	b->field = (uint32_t) (field & (CDM_KEY_NFIELDS - 1)) << CDM_KEY_FIELD_SHIFT;
}

void
cdm_key_add(CdmKeyBuilder *b, unsigned cls, uint32_t h)
{
	if (b->n == CDM_KEY_BUILDER_CAP)
	{
		/* compaction leaves at most CDM_KEY_MAX_TOKENS, so room follows */
		b->n = cdm_key_normalise(b->tok, b->n);
		CDM_CHECK_INTERRUPTS();
	}
	b->tok[b->n++] = b->field | ((uint32_t) (cls & 3) << CDM_KEY_CLASS_SHIFT) |
		(h & CDM_KEY_CLASS_HASH_MASK);
}

size_t
cdm_key_finish(CdmKeyBuilder *b)
{
	b->n = cdm_key_normalise(b->tok, b->n);
	return b->n;
}

static int
token_cmp(const void *a, const void *b)
{
	cdm_token	x = *(const cdm_token *) a;
	cdm_token	y = *(const cdm_token *) b;

	return (x > y) - (x < y);
}

/* Keys are short: insertion sort beats qsort's calls below a few dozen. */
static void
token_sort(cdm_token *tok, size_t n)
{
	if (n > 32)
	{
		qsort(tok, n, sizeof(cdm_token), token_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++)
	{
		cdm_token	t = tok[i];
		size_t		j = i;

		while (j > 0 && tok[j - 1] > t)
		{
			tok[j] = tok[j - 1];
			j--;
		}
		tok[j] = t;
	}
}

size_t
cdm_key_normalise(cdm_token *tok, size_t n)
{
	size_t		out = 0;
	size_t		infield = 0;

	token_sort(tok, n);
	for (size_t i = 0; i < n; i++)
	{
		if (out > 0 && tok[i] == tok[out - 1])
			continue;
		if (out == 0 || CDM_KEY_FIELD(tok[i]) != CDM_KEY_FIELD(tok[out - 1]))
			infield = 0;
		else if (infield >= CDM_KEY_FIELD_MAX)
			continue;
		tok[out++] = tok[i];
		infield++;
	}
	return out;
}

bool
cdm_key_is_normal(const cdm_token *tok, size_t n)
{
	size_t		infield = 1;

	for (size_t i = 1; i < n; i++)
	{
		if (tok[i] <= tok[i - 1])
			return false;
		if (CDM_KEY_FIELD(tok[i]) != CDM_KEY_FIELD(tok[i - 1]))
			infield = 1;
		else if (++infield > CDM_KEY_FIELD_MAX)
			return false;
	}
	return true;
}

void
cdm_key_field_counts(const cdm_token *tok, size_t n, size_t counts[CDM_KEY_NFIELDS])
{
	memset(counts, 0, CDM_KEY_NFIELDS * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		counts[CDM_KEY_FIELD(tok[i])]++;
}

/*
 * One field on both sides (every name_key): the intersection by a
 * branch-free merge, the hot loop of a nearest-neighbour search.
 */
static double
one_field_similarity(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	size_t		i = 0,
				j = 0,
				ci = 0;

	while (i < na && j < nb)
	{
		cdm_token	x = a[i];
		cdm_token	y = b[j];

		ci += x == y;
		i += x <= y;
		j += y <= x;
	}
	return (double) ci / (double) (na + nb - ci);
}

double
cdm_key_similarity(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	size_t		ca[CDM_KEY_NFIELDS] = {0};
	size_t		cb[CDM_KEY_NFIELDS] = {0};
	size_t		ci[CDM_KEY_NFIELDS] = {0};
	size_t		i = 0,
				j = 0;
	double		num = 0.0,
				den = 0.0;

	if (na == 0 || nb == 0)
		return (na == 0 && nb == 0) ? 1.0 : 0.0;
	/* sorted, so the first and last tokens give a key's only field */
	if (CDM_KEY_FIELD(a[0]) == CDM_KEY_FIELD(a[na - 1]) &&
		CDM_KEY_FIELD(b[0]) == CDM_KEY_FIELD(b[nb - 1]) &&
		CDM_KEY_FIELD(a[0]) == CDM_KEY_FIELD(b[0]))
		return one_field_similarity(a, na, b, nb);

	/* one merge pass counts every field's sizes and intersection */
	while (i < na && j < nb)
	{
		if (a[i] < b[j])
			ca[CDM_KEY_FIELD(a[i++])]++;
		else if (a[i] > b[j])
			cb[CDM_KEY_FIELD(b[j++])]++;
		else
		{
			unsigned	f = CDM_KEY_FIELD(a[i]);

			ca[f]++;
			cb[f]++;
			ci[f]++;
			i++;
			j++;
		}
	}
	for (; i < na; i++)
		ca[CDM_KEY_FIELD(a[i])]++;
	for (; j < nb; j++)
		cb[CDM_KEY_FIELD(b[j])]++;

	for (unsigned f = 0; f < CDM_KEY_NFIELDS; f++)
	{
		if (ca[f] == 0 || cb[f] == 0)
			continue;
		num += cdm_key_weight[f] * ((double) ci[f] / (double) (ca[f] + cb[f] - ci[f]));
		den += cdm_key_weight[f];
	}
	if (den == 0.0)
		return 0.0;
	return num / den;
}

double
cdm_key_distance(const cdm_token *a, size_t na, const cdm_token *b, size_t nb)
{
	return 1.0 - cdm_key_similarity(a, na, b, nb);
}

/* ------------------------------------------------------------- text form */

size_t
cdm_key_text_size(size_t n)
{
	/* "address(" + ") " per field, 9 bytes per token */
	return CDM_KEY_NFIELDS * 10 + 9 * n;
}

size_t
cdm_key_format(const cdm_token *tok, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	char	   *p = out;

	for (size_t i = 0; i < n; i++)
	{
		unsigned	f = CDM_KEY_FIELD(tok[i]);
		uint32_t	h = tok[i] & CDM_KEY_HASH_MASK;

		if (i == 0 || f != CDM_KEY_FIELD(tok[i - 1]))
		{
			const char *name = cdm_key_field_name[f];

			if (i > 0)
			{
				*p++ = ')';
				*p++ = ' ';
			}
			memcpy(p, name, strlen(name));
			p += strlen(name);
			*p++ = '(';
		}
		else
			*p++ = ' ';
		for (int s = 28; s >= 0; s -= 4)
			*p++ = hex[(h >> s) & 0xF];
	}
	if (n > 0)
		*p++ = ')';
	return (size_t) (p - out);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The field whose name is s[0..len), or -1. */
static int
field_by_name(const char *s, size_t len)
{
	for (int f = 0; f < CDM_KEY_NFIELDS; f++)
		if (strlen(cdm_key_field_name[f]) == len &&
			memcmp(cdm_key_field_name[f], s, len) == 0)
			return f;
	return -1;
}

ptrdiff_t
cdm_key_parse(const char *s, size_t len, cdm_token *tok, size_t cap, size_t *errpos)
{
	size_t		i = 0;
	size_t		n = 0;

	for (;;)
	{
		size_t		start;
		int			field;

		while (i < len && is_space(s[i]))
			i++;
		if (i == len)
			return (ptrdiff_t) n;
		start = i;
		while (i < len && s[i] != '(' && !is_space(s[i]))
			i++;
		field = field_by_name(s + start, i - start);
		if (field < 0 || i == len || s[i] != '(')
		{
			*errpos = start;
			return -1;
		}
		i++;
		for (;;)
		{
			uint32_t	h = 0;
			int			digits = 0;

			while (i < len && is_space(s[i]))
				i++;
			if (i < len && s[i] == ')')
			{
				i++;
				break;
			}
			start = i;
			while (i < len && hex_value(s[i]) >= 0)
			{
				if (++digits > 8)
					break;
				h = (h << 4) | (uint32_t) hex_value(s[i++]);
			}
			/* a token is 1 to 8 hex digits, at most 1fffffff, then a separator */
			if (digits == 0 || digits > 8 || h > CDM_KEY_HASH_MASK ||
				(i < len && s[i] != ')' && !is_space(s[i])) || i == len)
			{
				*errpos = start;
				return -1;
			}
			if (n < cap)
				tok[n] = ((uint32_t) field << CDM_KEY_FIELD_SHIFT) | h;
			n++;
		}
	}
}
