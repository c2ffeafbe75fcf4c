/*
 * nickname.c - binary searches over the generated nickname table.
 */
#include "nickname.h"

#include <string.h>

/* key[0..len) against a NUL-terminated table string, like strcmp. */
static int
keycmp(const char *key, size_t len, const char *s)
{
	int			c = strncmp(key, s, len);

	if (c != 0)
		return c;
	return s[len] == '\0' ? 0 : -1;
}

/* First pair index whose name is >= key. */
static size_t
lower_by_name(const char *key, size_t len)
{
	size_t		lo = 0,
				hi = cdm_nickname_npairs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (keycmp(key, len, cdm_nickname_pairs[mid].name) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First position in cdm_nickname_by_nickname whose nickname is >= key. */
static size_t
lower_by_nickname(const char *key, size_t len)
{
	size_t		lo = 0,
				hi = cdm_nickname_npairs;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (keycmp(key, len, cdm_nickname_pairs[cdm_nickname_by_nickname[mid]].nickname) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
cdm_nickname_is_name(const char *key, size_t len)
{
	return cdm_nickname_count(key, len) > 0;
}

bool
cdm_nickname_is_nickname(const char *key, size_t len)
{
	size_t		i = lower_by_nickname(key, len);

	return i < cdm_nickname_npairs &&
		keycmp(key, len, cdm_nickname_pairs[cdm_nickname_by_nickname[i]].nickname) == 0;
}

size_t
cdm_nickname_count(const char *key, size_t len)
{
	size_t		i = lower_by_name(key, len);
	size_t		k = 0;

	if (len == 0 || len > CDM_NICKNAME_MAX_LEN)
		return 0;
	while (i + k < cdm_nickname_npairs &&
		   keycmp(key, len, cdm_nickname_pairs[i + k].name) == 0)
		k++;
	return k;
}

size_t
cdm_nickname_roots(const char *key, size_t len,
				   const char *out[CDM_NICKNAME_MAX_ROOTS])
{
	size_t		n = 0;
	size_t		i;
	const char *self = NULL;

	if (len == 0 || len > CDM_NICKNAME_MAX_LEN)
		return 0;
	i = lower_by_name(key, len);
	if (i < cdm_nickname_npairs && keycmp(key, len, cdm_nickname_pairs[i].name) == 0)
		self = cdm_nickname_pairs[i].name;

	/* The index lists the names of one nickname in byte order: merge self in. */
	for (i = lower_by_nickname(key, len); i < cdm_nickname_npairs; i++)
	{
		const CdmNicknamePair *p = &cdm_nickname_pairs[cdm_nickname_by_nickname[i]];

		if (keycmp(key, len, p->nickname) != 0)
			break;
		if (self && strcmp(self, p->name) < 0)
		{
			out[n++] = self;
			self = NULL;
		}
		if (!self || strcmp(self, p->name) != 0)
			out[n++] = p->name;
	}
	if (self)
		out[n++] = self;
	return n;
}

static size_t
common_prefix(const char *key, size_t len, const char *s)
{
	size_t		k = 0;

	while (k < len && s[k] == key[k])
		k++;
	return k;
}

/* Does the table list (name, nickname)? */
static bool
pair_exists(const char *name, const char *nickname)
{
	size_t		len = strlen(name);
	size_t		i = lower_by_name(name, len);

	for (; i < cdm_nickname_npairs && strcmp(cdm_nickname_pairs[i].name, name) == 0; i++)
	{
		if (strcmp(cdm_nickname_pairs[i].nickname, nickname) == 0)
			return true;
	}
	return false;
}

/*
 * How good a root candidate x is for key (the rule in nickname.h), in
 * integers: 2 * min(nicknames(x), 10) + 3 * common prefix + 8 * mutual
 * + 6 * self.  The cap keeps a hub of the data (marietta lists 15
 * nicknames, mary among them) from swallowing formal names.
 */
static int
root_score(const char *key, size_t len, const char *x)
{
	size_t		xlen = strlen(x);
	bool		self = keycmp(key, len, x) == 0;
	size_t		count = cdm_nickname_count(x, xlen);
	int			score = 2 * (int) (count < 10 ? count : 10) +
		3 * (int) common_prefix(key, len, x);

	if (self)
		return score + (len >= 4 ? 6 : 0);
	/* key is a nickname of x (x is a root); is x also one of key? */
	if (cdm_nickname_count(key, len) > 0)
	{
		char		k[CDM_NICKNAME_MAX_LEN + 1];

		memcpy(k, key, len);
		k[len] = '\0';
		if (pair_exists(k, x))
			score += 8;
	}
	return score;
}

const char *
cdm_nickname_root(const char *key, size_t len)
{
	const char *roots[CDM_NICKNAME_MAX_ROOTS];
	size_t		n = cdm_nickname_roots(key, len, roots);
	const char *best = NULL;
	int			best_score = -1;

	/* roots are in byte order: a strictly higher score is needed to move on */
	for (size_t i = 0; i < n; i++)
	{
		int			s = root_score(key, len, roots[i]);

		if (s > best_score)
		{
			best = roots[i];
			best_score = s;
		}
	}
	return best;
}

bool
cdm_nickname_related(const char *a, size_t alen, const char *b, size_t blen)
{
	char		x[CDM_NICKNAME_MAX_LEN + 1];
	char		y[CDM_NICKNAME_MAX_LEN + 1];
	const char *ra,
			   *rb;

	if (alen == 0 || blen == 0 || alen > CDM_NICKNAME_MAX_LEN || blen > CDM_NICKNAME_MAX_LEN)
		return false;
	memcpy(x, a, alen);
	x[alen] = '\0';
	memcpy(y, b, blen);
	y[blen] = '\0';
	if (pair_exists(x, y) || pair_exists(y, x))
		return true;
	ra = cdm_nickname_root(a, alen);
	rb = cdm_nickname_root(b, blen);
	return ra && rb && strcmp(ra, rb) == 0;
}
